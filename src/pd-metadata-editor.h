/* pd-metadata-editor.h: a payment's metadata as key/value rows */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define PD_METADATA_MAX_FIELDS 20

#define PD_TYPE_METADATA_EDITOR (pd_metadata_editor_get_type ())

G_DECLARE_FINAL_TYPE (PdMetadataEditor, pd_metadata_editor, PD, METADATA_EDITOR, GtkWidget)

GtkWidget  *pd_metadata_editor_new          (void);
/* Adds a row (at most PD_METADATA_MAX_FIELDS); returns it, or NULL when full. */
GtkWidget  *pd_metadata_editor_add_field    (PdMetadataEditor  *self,
                                             const char        *key,
                                             const char        *value);
guint       pd_metadata_editor_get_n_fields (PdMetadataEditor  *self);
void        pd_metadata_editor_clear        (PdMetadataEditor  *self);
/* The rows as a JSON object of strings (NULL in *@metadata when there are
 * none; rows left empty are skipped). Fails, marking the row and saying
 * why under the rows, when a value has no key or a key comes twice. */
gboolean    pd_metadata_editor_get_metadata (PdMetadataEditor  *self,
                                             JsonObject       **metadata,
                                             GError           **error);
/* Shows @message (the gateway's word on the metadata) under the rows; NULL hides it. */
void        pd_metadata_editor_set_error    (PdMetadataEditor  *self,
                                             const char        *message);

G_END_DECLS
