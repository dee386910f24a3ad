"""Policy owners build and publish forms in Wagtail (Snippets > Forms)."""

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.admin.ui.tables import LiveStatusTagColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import FormDefinition


class FormDefinitionViewSet(SnippetViewSet):
    model = FormDefinition
    icon = "form"
    menu_label = "Forms"
    menu_name = "form-definitions"
    add_to_admin_menu = True
    menu_order = 300
    list_display = ["title", "key", "kind", LiveStatusTagColumn(), "last_published_at"]
    inspect_view_enabled = True  # auditors open forms read-only
    list_filter = ["kind", "live"]
    search_fields = ["title"]
    panels = [
        MultiFieldPanel(
            [FieldPanel("title"), FieldPanel("key"), FieldPanel("kind"), FieldPanel("description")],
            heading="About this form",
        ),
        FieldPanel("confidentiality_statement"),
        FieldPanel("body", heading="Sections and questions"),
    ]


register_snippet(FormDefinitionViewSet)
