"""GOV.UK forms for signing in, registering and deciding on members."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from commissioning.accounts import services
from commissioning.accounts.models import Membership, User
from commissioning.directory.models import Organisation
from commissioning.kernel.forms import GovUKForm, GovUKFormMixin

INVALID_LOGIN = "Enter a correct username/email and password"
UNCONFIRMED = (
    "Confirm your email address before you sign in: follow the link in the email we sent you "
    "when you registered, or ask for a new link"
)
PASSWORD_HINT = (
    "At least 12 characters. A few unrelated words are easy to remember and hard to guess; "
    "common passwords are refused."
)
CHOOSE_ORGANISATION = "Choose the organisation you work for"


def _use_get(form: GovUKForm) -> None:
    """A GET form (search, filter) must not carry the CSRF token into the URL."""
    form.helper.disable_csrf = True


class SignInForm(GovUKFormMixin, AuthenticationForm):
    """Django's authentication form, taking a username or an email address."""

    error_messages = {
        "invalid_login": INVALID_LOGIN,
        "inactive": "This account has been closed. Contact a site administrator.",
    }

    def __init__(self, request: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        username = self.fields["username"]
        assert isinstance(username, forms.CharField)
        username.label = "Username or email address"
        username.max_length = 254
        username.widget.attrs.pop("autofocus", None)
        username.widget.attrs.update(
            {"autocomplete": "username", "spellcheck": "false", "maxlength": "254"}
        )
        username.error_messages["required"] = "Enter your username or email address"
        self.fields["password"].error_messages["required"] = "Enter your password"

    def confirm_login_allowed(self, user: User) -> None:
        super().confirm_login_allowed(user)
        if not user.email_verified:
            raise ValidationError(UNCONFIRMED, code="unconfirmed")

    def clean(self) -> dict[str, Any]:
        given = (self.cleaned_data.get("username") or "").strip()
        if "@" in given:
            # An email address signs in the account it belongs to.
            match = User.objects.filter(email__iexact=given).first()
            if match is not None:
                self.cleaned_data["username"] = match.get_username()
        try:
            return super().clean()
        except ValidationError as error:
            # Shown in the error summary and next to the field, not only above the form.
            self.add_error("username", error)
            return self.cleaned_data


class OrganisationSearchForm(GovUKForm):
    """Step 1 of registering: find the organisation you work for."""

    q = forms.CharField(
        label="Name of your organisation",
        help_text="For example, part of its name or its charity number.",
        max_length=100,
        error_messages={"required": "Enter the name of your organisation"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _use_get(self)

    def clean_q(self) -> str:
        value: str = self.cleaned_data["q"].strip()
        if len(value) < 2:
            raise ValidationError("Enter at least 2 characters of your organisation's name")
        return value


class OrganisationChoiceForm(GovUKForm):
    """Step 1 of registering, second half: choose one of the organisations found."""

    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        to_field_name="slug",
        widget=forms.RadioSelect,
        label="Which of these organisations do you work for?",
        empty_label=None,
        error_messages={"required": CHOOSE_ORGANISATION, "invalid_choice": CHOOSE_ORGANISATION},
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _use_get(self)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organisations


def _chosen_organisation_field(label: str) -> forms.ModelChoiceField:
    """The organisation chosen in step 1, carried as its slug (the form narrows the choices)."""
    return forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        to_field_name="slug",
        widget=forms.RadioSelect,
        label=label,
        empty_label=None,
        error_messages={"required": CHOOSE_ORGANISATION, "invalid_choice": CHOOSE_ORGANISATION},
    )


class RegistrationForm(GovUKForm):
    """Step 2 of registering: who you are, your password, and the organisation chosen in step 1."""

    organisation = _chosen_organisation_field("Your organisation")
    first_name = forms.CharField(
        label="First name",
        max_length=150,
        error_messages={"required": "Enter your first name"},
    )
    last_name = forms.CharField(
        label="Last name",
        max_length=150,
        error_messages={"required": "Enter your last name"},
    )
    job_title = forms.CharField(
        label="Job title",
        max_length=120,
        required=False,
        help_text="Optional. Helps your organisation's administrator recognise you.",
    )
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text=(
            "We'll email you a link to confirm it, and again when your organisation decides "
            "on your request."
        ),
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )
    username = forms.CharField(
        label="Username",
        max_length=150,
        help_text="Letters, digits and . + - _ only. You can sign in with this or your email.",
        error_messages={"required": "Enter a username"},
    )
    password1 = forms.CharField(
        label="Create a password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=PASSWORD_HINT,
        error_messages={"required": "Create a password"},
    )
    password2 = forms.CharField(
        label="Confirm your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Enter your password again"},
    )

    def __init__(self, *args: Any, organisation: Organisation | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            services.provider_organisations().filter(pk=organisation.pk)
            if organisation is not None
            else Organisation.objects.none()
        )
        if organisation is not None:
            self.initial.setdefault("organisation", organisation.slug)
        self.fields["email"].widget.attrs.update({"autocomplete": "email", "spellcheck": "false"})
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "username", "spellcheck": "false"}
        )
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        self.fields["job_title"].widget.attrs["autocomplete"] = "organization-title"

    def clean_email(self) -> str:
        # Whether the address is in use is not checked here: registration answers the same
        # either way and emails the address (services.register_provider_member).
        email: str = self.cleaned_data["email"].strip()
        return email

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"].strip()
        if "@" in username:
            raise ValidationError("A username cannot contain @. Sign in with your email instead")
        try:
            UnicodeUsernameValidator()(username)
        except ValidationError as error:
            raise ValidationError(
                "A username can only contain letters, digits and . + - _"
            ) from error
        return username

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password1 = cleaned.get("password1")
        password2 = cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", "The passwords do not match. Enter the same password twice")
        if password1:
            candidate = User(
                username=cleaned.get("username", ""),
                email=cleaned.get("email", ""),
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(password1, candidate)
            except ValidationError as error:
                for message in error.messages:
                    self.add_error("password1", message)
        return cleaned


class MemberActionForm(GovUKForm):
    """One button on the members page: approve, reject, or change administrator rights."""

    APPROVE = "approve"
    REJECT = "reject"
    MAKE_ADMIN = "make_admin"
    REMOVE_ADMIN = "remove_admin"

    membership = forms.ModelChoiceField(queryset=Membership.objects.none())
    action = forms.ChoiceField(
        choices=[
            (APPROVE, "Approve"),
            (REJECT, "Reject"),
            (MAKE_ADMIN, "Make organisation administrator"),
            (REMOVE_ADMIN, "Remove administrator rights"),
        ]
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["membership"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Membership.objects.filter(organisation=organisation)


class JoinRequestForm(GovUKForm):
    """Step 2 for someone already signed in: ask to join another organisation (issue 11 item
    25a). Their account stays the same; only the membership is new."""

    organisation = _chosen_organisation_field("Organisation you are asking to join")
    job_title = forms.CharField(
        label="Your job title there",
        max_length=120,
        required=False,
        help_text="Optional. Helps the organisation's administrator recognise you.",
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = services.provider_organisations().filter(pk=organisation.pk)
        self.initial.setdefault("organisation", organisation.slug)
        self.fields["job_title"].widget.attrs["autocomplete"] = "organization-title"


class VerifyFirstMemberForm(GovUKForm):
    """The support team's decision on a request to join an organisation that has no
    administrator: what they checked it against and why (ADR 0009)."""

    APPROVE = "approve"
    REJECT = "reject"

    membership = forms.ModelChoiceField(
        queryset=Membership.objects.none(),
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "That request has already been decided or removed"},
    )
    checked_against = forms.ChoiceField(
        label="What did you check the request against?",
        choices=Membership.VerifiedAgainst.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what you checked the request against"},
    )
    reason = forms.CharField(
        label="What did the check show?",
        help_text=(
            "For example: the register names this person as a trustee, or the registered "
            "contact confirmed by email that they work there. This is kept with the decision."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Say what you checked and what it showed"},
    )
    decision = forms.ChoiceField(
        label="Decision",
        choices=[
            (APPROVE, "Verified: approve as the organisation's first administrator"),
            (REJECT, "Not verified: reject the request"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the check verified this person"},
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["membership"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Membership.objects.filter(
            organisation=organisation, status=Membership.Status.PENDING
        )


# ---------------------------------------------------------------------- passwords and links
def _password_fields(form: SetPasswordForm[User], new: str, confirm: str) -> None:
    """The GOV.UK wording on Django's new-password fields."""
    form.fields[new].label = "New password"
    form.fields[new].help_text = PASSWORD_HINT
    form.fields[new].error_messages["required"] = "Enter a new password"
    form.fields[confirm].label = "Confirm your new password"
    form.fields[confirm].help_text = ""
    form.fields[confirm].error_messages["required"] = "Enter your new password again"
    form.error_messages["password_mismatch"] = (
        "The passwords do not match. Enter the same password twice"
    )


class ChangePasswordForm(GovUKFormMixin, PasswordChangeForm):
    """Django's password change (checks the old password and the password rules)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        old = self.fields["old_password"]
        old.label = "Current password"
        old.widget.attrs.pop("autofocus", None)
        old.error_messages["required"] = "Enter your current password"
        self.error_messages["password_incorrect"] = (
            "Your current password is not right. Enter it again"
        )
        _password_fields(self, "new_password1", "new_password2")


class NewPasswordForm(GovUKFormMixin, SetPasswordForm):
    """Setting a new password from an emailed reset link."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _password_fields(self, "new_password1", "new_password2")


class ResetPasswordForm(GovUKFormMixin, PasswordResetForm):
    """Ask for a reset link. The page that follows is the same whether or not an account uses
    the address; the email goes out from the task queue so the answer takes as long either way.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        email = self.fields["email"]
        email.label = "Email address"
        email.help_text = "The email address you registered with."
        email.error_messages.update(
            {
                "required": "Enter your email address",
                "invalid": "Enter an email address in the correct format, like name@example.com",
            }
        )
        email.widget.attrs.update({"autocomplete": "email", "spellcheck": "false"})

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        from django.db import transaction
        from django.template import loader

        from commissioning.accounts import tasks

        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        transaction.on_commit(lambda: tasks.send_account_email.enqueue(subject, body, to_email))


class ResendConfirmationForm(GovUKForm):
    """Ask for a new link to confirm the email address of an account that registered."""

    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="The email address you registered with.",
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs.update({"autocomplete": "email", "spellcheck": "false"})
