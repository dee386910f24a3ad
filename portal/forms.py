"""Worker-site forms."""

from django import forms


class ChildSearchForm(forms.Form):
    q = forms.CharField(
        label="Search by name or reference",
        required=False,
        max_length=100,
        strip=True,
    )
