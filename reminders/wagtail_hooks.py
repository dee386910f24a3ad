"""Escalation ladders and message wording as snippets the policy owner edits in the CMS."""

from wagtail.admin.panels import FieldPanel, HelpPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .defaults import TEMPLATE_VARIABLES
from .models import EscalationLadder, MessageTemplate


class EscalationLadderViewSet(SnippetViewSet):
    model = EscalationLadder
    menu_label = "Escalation ladders"
    icon = "list-ol"
    list_display = ["meeting_type", "kind"]
    panels = [FieldPanel("meeting_type"), FieldPanel("kind"), FieldPanel("steps")]


class MessageTemplateViewSet(SnippetViewSet):
    model = MessageTemplate
    menu_label = "Reminder wording"
    icon = "mail"
    list_display = ["key", "subject"]
    panels = [
        FieldPanel("key"),
        HelpPanel(
            content="<p>Variables you can use:</p><ul>"
            + "".join(f"<li><code>{{{{ {v} }}}}</code>: {d}</li>" for v, d in TEMPLATE_VARIABLES.items())
            + "</ul>",
            heading="Variables",
        ),
        FieldPanel("subject"),
        FieldPanel("body"),
    ]


register_snippet(EscalationLadderViewSet)
register_snippet(MessageTemplateViewSet)
