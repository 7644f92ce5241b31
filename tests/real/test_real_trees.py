"""`fix` on real code nobody here wrote: django-oscar (migrations excluded), Django REST framework, celery.

Each test copies the installed package to tmp_path, writes the config a user would, runs the
console script, and then proves: every import that worked still works (imported for real in a
fresh interpreter, and resolved statically in every file, migrations included), the migrations
still load, render, match the models and apply to SQLite, and a second `fix --check` exits 0.
The summary line of each run (files changed, definitions removed, imports checked) is printed.
"""

from __future__ import annotations

from tests.real.conftest import check_real_tree

DJANGO_BASE = """
SECRET_KEY = "real-trees"
USE_TZ = True
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
ROOT_URLCONF = None
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
}]
"""

OSCAR_SETTINGS = (
    DJANGO_BASE
    + """
from oscar.defaults import *  # noqa: F401,F403 - the settings oscar documents

SITE_ID = 1
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.flatpages",
    "oscar.config.Shop",
    "oscar.apps.analytics.apps.AnalyticsConfig",
    "oscar.apps.checkout.apps.CheckoutConfig",
    "oscar.apps.address.apps.AddressConfig",
    "oscar.apps.shipping.apps.ShippingConfig",
    "oscar.apps.catalogue.apps.CatalogueConfig",
    "oscar.apps.catalogue.reviews.apps.CatalogueReviewsConfig",
    "oscar.apps.communication.apps.CommunicationConfig",
    "oscar.apps.partner.apps.PartnerConfig",
    "oscar.apps.basket.apps.BasketConfig",
    "oscar.apps.payment.apps.PaymentConfig",
    "oscar.apps.offer.apps.OfferConfig",
    "oscar.apps.order.apps.OrderConfig",
    "oscar.apps.customer.apps.CustomerConfig",
    "oscar.apps.search.apps.SearchConfig",
    "oscar.apps.voucher.apps.VoucherConfig",
    "oscar.apps.wishlists.apps.WishlistsConfig",
    "oscar.apps.dashboard.apps.DashboardConfig",
    "oscar.apps.dashboard.reports.apps.ReportsDashboardConfig",
    "oscar.apps.dashboard.users.apps.UsersDashboardConfig",
    "oscar.apps.dashboard.orders.apps.OrdersDashboardConfig",
    "oscar.apps.dashboard.catalogue.apps.CatalogueDashboardConfig",
    "oscar.apps.dashboard.offers.apps.OffersDashboardConfig",
    "oscar.apps.dashboard.partners.apps.PartnersDashboardConfig",
    "oscar.apps.dashboard.pages.apps.PagesDashboardConfig",
    "oscar.apps.dashboard.ranges.apps.RangesDashboardConfig",
    "oscar.apps.dashboard.reviews.apps.ReviewsDashboardConfig",
    "oscar.apps.dashboard.vouchers.apps.VouchersDashboardConfig",
    "oscar.apps.dashboard.communications.apps.CommunicationsDashboardConfig",
    "oscar.apps.dashboard.shipping.apps.ShippingDashboardConfig",
    "widget_tweaks",
    "haystack",
    "treebeard",
    "django_tables2",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "oscar.apps.basket.middleware.BasketMiddleware",
]
HAYSTACK_CONNECTIONS = {"default": {"ENGINE": "haystack.backends.simple_backend.SimpleEngine"}}
"""
)

DRF_SETTINGS = (
    DJANGO_BASE
    + """
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "rest_framework",
    "rest_framework.authtoken",
]
"""
)


def assert_clean(run):
    assert not run.problems, run.summary()


def test_django_oscar_with_its_migrations_excluded(tmp_path):
    config = "[igny8_refactor]\npaths = oscar\ninternal = oscar\nexclude = oscar/apps/*/migrations\n"
    run = check_real_tree(tmp_path, "oscar", config, OSCAR_SETTINGS)
    assert run.files >= 100 and len(run.migrations_before["loaded"]) >= 100
    assert_clean(run)


def test_django_oscar_dead_functions_only(tmp_path):
    """The removal the issue started from (helpers that excluded migrations import), on its own:
    `--only remove_dead_helpers` leaves `__all__` alone, so functions are removed even where
    export pruning has nothing it can do."""
    config = "[igny8_refactor]\npaths = oscar\ninternal = oscar\nexclude = oscar/apps/*/migrations\n"
    run = check_real_tree(tmp_path, "oscar", config, OSCAR_SETTINGS, fix_args=("--only", "remove_dead_helpers"))
    assert run.changed, "nothing was removed: this run proves nothing"
    assert_clean(run)


def test_django_rest_framework(tmp_path):
    config = "[igny8_refactor]\npaths = rest_framework\ninternal = rest_framework\n"
    run = check_real_tree(tmp_path, "rest_framework", config, DRF_SETTINGS)
    assert_clean(run)


def test_celery(tmp_path):
    config = "[igny8_refactor]\npaths = celery\ninternal = celery\n"
    run = check_real_tree(tmp_path, "celery", config)
    assert_clean(run)
