/* pd-metadata-row.h: one key and value of a payment's metadata */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PD_TYPE_METADATA_ROW (pd_metadata_row_get_type ())

G_DECLARE_FINAL_TYPE (PdMetadataRow, pd_metadata_row, PD, METADATA_ROW, GtkListBoxRow)

GtkWidget  *pd_metadata_row_new       (void);
const char *pd_metadata_row_get_key   (PdMetadataRow *self);
const char *pd_metadata_row_get_value (PdMetadataRow *self);
void        pd_metadata_row_set       (PdMetadataRow *self,
                                       const char    *key,
                                       const char    *value);
/* Marks the key as refused (NULL: not refused), with @message as its tooltip. */
void        pd_metadata_row_set_error (PdMetadataRow *self,
                                       const char    *message);
void        pd_metadata_row_focus_key (PdMetadataRow *self);

/* Signals:
 *   "remove" (PdMetadataRow *self): the row's Remove button was pressed. */

G_END_DECLS
