from django import forms
from django.utils.translation import gettext_lazy as _

from opiskeluhuolto.organisation.models import Provider


class FeedbackForm(forms.Form):
    provider = forms.ModelChoiceField(
        label=_("Education provider"),
        queryset=Provider.objects.order_by("name"),
        error_messages={"required": _("Choose your education provider.")},
    )
    message = forms.CharField(
        label=_("Your feedback"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        help_text=_("What could you not use, and where? Do not write anyone's health details."),
        error_messages={"required": _("Write your feedback.")},
    )
    reply_to = forms.EmailField(
        label=_("Your e-mail for the receipt and the answer"),
        required=False,
        error_messages={"invalid": _("Check the e-mail address.")},
    )
