/* pd-metadata-editor.c: a payment's metadata as key/value rows
 *
 * PesoGate keeps "metadata" as any object; Paydesk sends strings only, one
 * per key, so that what the ledger shows is what was typed.
 */
#define G_LOG_DOMAIN "pd-metadata-editor"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "pd-metadata-editor.h"
#include "pd-metadata-row.h"

struct _PdMetadataEditor
{
  GtkWidget   parent_instance;

  GtkListBox *list;
  GtkLabel   *error_label;
  GtkButton  *add_button;
};

G_DEFINE_FINAL_TYPE (PdMetadataEditor, pd_metadata_editor, GTK_TYPE_WIDGET)

static void
update_rows (PdMetadataEditor *self)
{
  guint n = pd_metadata_editor_get_n_fields (self);

  gtk_widget_set_visible (GTK_WIDGET (self->list), n > 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->add_button), n < PD_METADATA_MAX_FIELDS);
}

static void
row_remove_cb (PdMetadataEditor *self,
               PdMetadataRow    *row)
{
  gtk_list_box_remove (self->list, GTK_WIDGET (row));
  pd_metadata_editor_set_error (self, NULL);
  update_rows (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->add_button));
}

static void
add_clicked_cb (PdMetadataEditor *self)
{
  GtkWidget *row = pd_metadata_editor_add_field (self, NULL, NULL);

  if (row != NULL)
    pd_metadata_row_focus_key (PD_METADATA_ROW (row));
}

static void
pd_metadata_editor_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), PD_TYPE_METADATA_EDITOR);

  G_OBJECT_CLASS (pd_metadata_editor_parent_class)->dispose (object);
}

static void
pd_metadata_editor_class_init (PdMetadataEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_metadata_editor_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/paydesk/Paydesk/pd-metadata-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, PdMetadataEditor, list);
  gtk_widget_class_bind_template_child (widget_class, PdMetadataEditor, error_label);
  gtk_widget_class_bind_template_child (widget_class, PdMetadataEditor, add_button);
  gtk_widget_class_bind_template_callback (widget_class, add_clicked_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
}

static void
pd_metadata_editor_init (PdMetadataEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (gtk_widget_get_layout_manager (GTK_WIDGET (self))), 6);
}

GtkWidget *
pd_metadata_editor_new (void)
{
  return g_object_new (PD_TYPE_METADATA_EDITOR, NULL);
}

GtkWidget *
pd_metadata_editor_add_field (PdMetadataEditor *self,
                              const char       *key,
                              const char       *value)
{
  GtkWidget *row;

  g_return_val_if_fail (PD_IS_METADATA_EDITOR (self), NULL);

  if (pd_metadata_editor_get_n_fields (self) >= PD_METADATA_MAX_FIELDS)
    return NULL;

  row = pd_metadata_row_new ();
  pd_metadata_row_set (PD_METADATA_ROW (row), key, value);
  g_signal_connect_object (row, "remove", G_CALLBACK (row_remove_cb), self, G_CONNECT_SWAPPED);
  gtk_list_box_append (self->list, row);
  update_rows (self);
  return row;
}

guint
pd_metadata_editor_get_n_fields (PdMetadataEditor *self)
{
  guint n = 0;

  g_return_val_if_fail (PD_IS_METADATA_EDITOR (self), 0);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (PD_IS_METADATA_ROW (child))
      n++;
  return n;
}

void
pd_metadata_editor_clear (PdMetadataEditor *self)
{
  GtkWidget *child;

  g_return_if_fail (PD_IS_METADATA_EDITOR (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  pd_metadata_editor_set_error (self, NULL);
  update_rows (self);
}

gboolean
pd_metadata_editor_get_metadata (PdMetadataEditor  *self,
                                 JsonObject       **metadata,
                                 GError           **error)
{
  g_autoptr(JsonObject) object = json_object_new ();

  g_return_val_if_fail (PD_IS_METADATA_EDITOR (self), FALSE);
  g_return_val_if_fail (metadata != NULL, FALSE);

  *metadata = NULL;
  pd_metadata_editor_set_error (self, NULL);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      PdMetadataRow *row;
      g_autofree char *key = NULL;
      const char *value;
      const char *problem = NULL;

      if (!PD_IS_METADATA_ROW (child))
        continue;
      row = PD_METADATA_ROW (child);
      key = g_strstrip (g_strdup (pd_metadata_row_get_key (row)));
      value = pd_metadata_row_get_value (row);
      pd_metadata_row_set_error (row, NULL);

      if (key[0] == '\0' && value[0] == '\0')
        continue;
      if (key[0] == '\0')
        problem = _("Give every metadata value a key");
      else if (json_object_has_member (object, key))
        problem = _("Each metadata key can be used only once");

      if (problem != NULL)
        {
          pd_metadata_row_set_error (row, problem);
          pd_metadata_editor_set_error (self, problem);
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, problem);
          return FALSE;
        }
      json_object_set_string_member (object, key, value);
    }

  if (json_object_get_size (object) > 0)
    *metadata = g_steal_pointer (&object);
  return TRUE;
}

void
pd_metadata_editor_set_error (PdMetadataEditor *self,
                              const char       *message)
{
  g_return_if_fail (PD_IS_METADATA_EDITOR (self));

  gtk_label_set_label (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}
