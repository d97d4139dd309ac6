from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm

from accounts import time_zones
from accounts.models import User


class SignupForm(UserCreationForm):
    email = forms.EmailField(help_text="Used only to recover your account.")
    # Filled in by the browser (static/js/app.js); anything unknown leaves the site's time zone.
    time_zone = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email", "time_zone")

    def clean_time_zone(self) -> str:
        name = self.cleaned_data["time_zone"].strip()
        return name if time_zones.zone(name) is not None else ""

    def clean_username(self) -> str:
        username = super().clean_username()
        if "@" in username:  # "@" names an email address at log-in (LoginForm)
            raise forms.ValidationError("A username cannot contain @. Use letters, digits and . + - _ only.")
        return username

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("An account with this email address already exists.")
        return email


class LoginForm(AuthenticationForm):
    """Django's log-in form, taking the username or the email address.

    An email address (any case) is turned into its account's username before authentication, so
    the backend, and django-axes's count of failed log-ins, only ever see the username: "alice",
    "alice@example.com" and "ALICE@example.com" share one count.
    """

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "That username or email and password do not match an account. The password is case-sensitive.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Username or email"
        self.fields["username"].max_length = 254
        self.fields["username"].widget.attrs["maxlength"] = 254

    def clean_username(self) -> str:
        identifier = self.cleaned_data["username"]
        if "@" not in identifier:  # usernames cannot contain "@" (SignupForm)
            return identifier
        match = User.objects.filter(email__iexact=identifier.strip()).values_list("username", flat=True).first()
        return match or identifier


class AdminLoginForm(LoginForm, AdminAuthenticationForm):
    """The admin's log-in: the username or the email address, as on the site; staff only."""

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "invalid_login": "That username or email and password do not match a staff account. "
        "The password is case-sensitive.",
    }


class ProfileForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        choices=time_zones.choices,
        required=False,
        help_text="Your days (progress, the daily review limit, history's dates) start at midnight here.",
    )

    class Meta:
        model = User
        fields = ("display_name", "email", "time_zone")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        taken = User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError("An account with this email address already exists.")
        return email


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Type your password to confirm.",
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password. Nothing was deleted.")
        return password
