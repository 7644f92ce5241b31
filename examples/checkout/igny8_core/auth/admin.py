from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import Account, User

admin.site.register(Account)
admin.site.register(User, UserAdmin)
