"""Worker-site forms."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from .govuk_forms import GovukForm
from .vocabulary import vocabulary

HALF_WIDTH = "govuk-input govuk-!-width-one-half"


class ChildSearchForm(GovukForm):
    govuk_mark_optional = False  # a search box, not a question

    q = forms.CharField(
        label="Search by name or reference",
        help_text="For example a surname or a case record number",
        required=False,
        max_length=100,
        strip=True,
        widget=forms.SearchInput(attrs={"class": HALF_WIDTH, "spellcheck": "false", "autocomplete": "off"}),
    )


class SignInForm(AuthenticationForm, GovukForm):
    """Django's sign-in form, drawn with the GOV.UK fields."""

    govuk_mark_optional = False
    govuk_label_class = ""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"class": HALF_WIDTH, "spellcheck": "false"})
        self.fields["password"].widget.attrs["class"] = HALF_WIDTH


# The case-record fields whose values come from a pack's own lists (issue 10), and the list each uses.
PLACEMENT_VOCABULARY_FIELDS = {"purpose": "placement_purpose", "legal_order": "legal_order"}


def placement_vocabulary_form(base: type[forms.ModelForm]) -> type[forms.ModelForm]:
    """The CMS placement form with purpose and legal order chosen from the child's pack's lists.

    The choices come from the pack of the child's latest meeting (else the installation's own pack); a
    value already stored that the pack has since dropped stays selectable, marked as such, so editing
    something else never loses it. On save the value is checked against the chosen child's pack.
    """

    class PlacementVocabularyForm(base):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            child = self.instance.child if getattr(self.instance, "child_id", None) else None
            _pack, vocabularies = vocabulary().lists_for_child(child)
            for name, kind in PLACEMENT_VOCABULARY_FIELDS.items():
                if name not in self.fields:
                    continue
                old = self.fields[name]
                choices = [("", "Not recorded"), *vocabularies.get(kind, [])]
                current = getattr(self.instance, name, "") or ""
                if current and current not in dict(choices):
                    choices.append((current, f"{current} (no longer in the pack's list)"))
                self.fields[name] = forms.ChoiceField(
                    choices=choices, required=False, label=old.label, help_text=old.help_text
                )

        def clean(self):
            cleaned = super().clean()
            child = cleaned.get("child") or (self.instance.child if self.instance.child_id else None)
            if child is not None:
                pack, vocabularies = vocabulary().lists_for_child(child)
                for name, kind in PLACEMENT_VOCABULARY_FIELDS.items():
                    value = cleaned.get(name)
                    if not value or value == (getattr(self.instance, name, "") or ""):
                        continue
                    options = dict(vocabularies.get(kind, []))
                    if value not in options:
                        where = f"{pack.name}'s list" if pack is not None else "the list"
                        self.add_error(
                            name, f"“{value}” is not in {where}; choose one of {', '.join(options.values())}."
                        )
            if cleaned.get("legal_order_on") and not cleaned.get("legal_order"):
                self.add_error("legal_order", "Say which legal order was made on that date.")
            return cleaned

    return PlacementVocabularyForm


def team_vocabulary_form(base: type[forms.ModelForm]) -> type[forms.ModelForm]:
    """The CMS team form with the council's own team kinds to choose from (issue 10): each pack's kinds,
    named with their pack; the team then behaves as the built-in kind the chosen one maps onto."""

    class TeamVocabularyForm(base):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            if "council_kind" not in self.fields:
                return
            kinds = vocabulary().council_team_kinds()
            choices = [("", "None: the built-in kind above"), *kinds]
            seen = {key for key, _label in kinds}
            current = getattr(self.instance, "council_kind", "") or ""
            if current and current not in seen:
                choices.append((current, f"{current} (no longer in any pack)"))
            old = self.fields["council_kind"]
            self.fields["council_kind"] = forms.ChoiceField(
                choices=choices, required=False, label=old.label, help_text=old.help_text
            )

    return TeamVocabularyForm
