import logging

from axes.helpers import get_client_ip_address
from axes.utils import reset as axes_reset
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts import services
from accounts.forms import DeleteAccountForm, ProfileForm, SignupForm
from interviews.formats import anki_format
from interviews.selectors import attempts as attempt_selectors
from interviews.selectors import questions as question_selectors

logger = logging.getLogger(__name__)

SIGNUP_REFUSED = (
    "Too many accounts were created from your network in the last hour, so this one was not. "
    "Please try again later, or log in to the account you have."
)


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("interviews:question_list")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not services.signup_allowed(client_ip=get_client_ip_address(request)):
            logger.warning("Sign-up refused: too many accounts from one client in an hour")
            form.add_error(None, SIGNUP_REFUSED)
            return render(request, "accounts/signup.html", {"form": form}, status=429)
        user = form.save()
        login(request, user, backend="accounts.backends.UserBackend")
        messages.success(request, "Welcome! Pick a question and answer it in your own words.")
        return redirect("interviews:question_list")
    return render(request, "accounts/signup.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Profile saved.")
        return redirect("accounts:profile")
    stats = attempt_selectors.attempt_summary(user=request.user)
    return render(request, "accounts/profile.html", {"form": form, "stats": stats})


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    stats = attempt_selectors.attempt_summary(user=request.user)
    return render(request, "accounts/my_data.html", {"stats": stats})


@login_required
def export_attempts(request: HttpRequest, fmt: str) -> StreamingHttpResponse:
    """My attempts, and only mine, as a CSV or JSON download."""
    if fmt == "csv":
        body, content_type = services.export_csv(user=request.user), "text/csv; charset=utf-8"
    else:
        body, content_type = services.export_json(user=request.user), "application/json"
    response = StreamingHttpResponse(body, content_type=content_type)
    filename = f"mlprep-attempts-{timezone.localdate():%Y-%m-%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def export_deck(request: HttpRequest) -> HttpResponse:
    """The questions I have tried as an Anki deck (notes in plain text), weakest first."""
    bundle = question_selectors.tried_questions_bundle(user=request.user)
    response = HttpResponse(anki_format.serialise(bundle), content_type="text/plain; charset=utf-8")
    filename = f"mlprep-my-questions-{timezone.localdate():%Y-%m-%d}.txt"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.account_delete(user=request.user)
        logout(request)
        messages.success(request, "Your account and all your attempts have been deleted.")
        return redirect("accounts:login")
    return render(request, "accounts/delete_account.html", {"form": form})


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset form, with a cap on the emails it sends (`services.password_reset_allowed`).

    Over the cap nothing is sent and the page is the same "check your email" page as always, so
    the form tells nobody whether an address has an account.
    """

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        if not services.password_reset_allowed(email=email, client_ip=get_client_ip_address(self.request)):
            logger.warning("Password reset refused: too many requests for one address or from one client")
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Setting a new password through the emailed link also lifts a login lockout on the account."""

    def form_valid(self, form):
        response = super().form_valid(form)
        axes_reset(username=self.user.get_username())
        return response
