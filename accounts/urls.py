from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("otp/", views.otp_verify, name="otp_verify"),
    path("otp/setup/", views.otp_setup, name="otp_setup"),
    path("register/", views.register, name="register"),
    path("units/", views.unit_list, name="unit_list"),
    path("audit/", views.audit_log, name="audit_log"),
    path("audit/export.xlsx", views.audit_export, name="audit_export"),
    path("users/", views.user_list, name="user_list"),
    path("users/<int:pk>/", views.user_action, name="user_action"),
    path("units/<int:pk>/activate/", views.unit_activate, name="unit_activate"),
]
