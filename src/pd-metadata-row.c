/* pd-metadata-row.c: one key and value of a payment's metadata */
#define G_LOG_DOMAIN "pd-metadata-row"

#include "config.h"

#include "pd-metadata-row.h"

struct _PdMetadataRow
{
  GtkListBoxRow  parent_instance;

  GtkEntry      *key_entry;
  GtkEntry      *value_entry;
};

G_DEFINE_FINAL_TYPE (PdMetadataRow, pd_metadata_row, GTK_TYPE_LIST_BOX_ROW)

enum {
  SIGNAL_REMOVE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
remove_clicked_cb (PdMetadataRow *self)
{
  g_signal_emit (self, signals[SIGNAL_REMOVE], 0);
}

static void
pd_metadata_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), PD_TYPE_METADATA_ROW);

  G_OBJECT_CLASS (pd_metadata_row_parent_class)->dispose (object);
}

static void
pd_metadata_row_class_init (PdMetadataRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_metadata_row_dispose;

  signals[SIGNAL_REMOVE] =
    g_signal_new ("remove",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/paydesk/Paydesk/pd-metadata-row.ui");
  gtk_widget_class_bind_template_child (widget_class, PdMetadataRow, key_entry);
  gtk_widget_class_bind_template_child (widget_class, PdMetadataRow, value_entry);
  gtk_widget_class_bind_template_callback (widget_class, remove_clicked_cb);
}

static void
pd_metadata_row_init (PdMetadataRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
pd_metadata_row_new (void)
{
  return g_object_new (PD_TYPE_METADATA_ROW, NULL);
}

const char *
pd_metadata_row_get_key (PdMetadataRow *self)
{
  g_return_val_if_fail (PD_IS_METADATA_ROW (self), NULL);

  return gtk_editable_get_text (GTK_EDITABLE (self->key_entry));
}

const char *
pd_metadata_row_get_value (PdMetadataRow *self)
{
  g_return_val_if_fail (PD_IS_METADATA_ROW (self), NULL);

  return gtk_editable_get_text (GTK_EDITABLE (self->value_entry));
}

void
pd_metadata_row_set (PdMetadataRow *self,
                     const char    *key,
                     const char    *value)
{
  g_return_if_fail (PD_IS_METADATA_ROW (self));

  gtk_editable_set_text (GTK_EDITABLE (self->key_entry), key != NULL ? key : "");
  gtk_editable_set_text (GTK_EDITABLE (self->value_entry), value != NULL ? value : "");
}

void
pd_metadata_row_set_error (PdMetadataRow *self,
                           const char    *message)
{
  g_return_if_fail (PD_IS_METADATA_ROW (self));

  if (message != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->key_entry), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->key_entry), "error");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->key_entry), message);
}

void
pd_metadata_row_focus_key (PdMetadataRow *self)
{
  g_return_if_fail (PD_IS_METADATA_ROW (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->key_entry));
}
