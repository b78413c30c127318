from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from opiskeluhuolto.organisation.models import Institution

from .models import ImportRun

MAX_UPLOAD = 2 * 1024**3  # 2 GiB: a whole year of marks of a large provider


class UploadForm(forms.Form):
    institution = forms.ModelChoiceField(
        label=_("Institution"), queryset=Institution.objects.none()
    )
    kind = forms.ChoiceField(label=_("What the file contains"), choices=ImportRun.Kind.choices)
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Semicolon-separated UTF-8, as Wilma and Primus export. The formats are described "
            "in the user guide."
        ),
    )

    def __init__(self, *args, institutions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 2 GB."))
        if f.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        return f
