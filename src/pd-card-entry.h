/* pd-card-entry.h: a card number field: grouped as typed, brand shown, secure memory */
#pragma once

#include <gtk/gtk.h>

#include "pd-card.h"

G_BEGIN_DECLS

#define PD_TYPE_CARD_ENTRY (pd_card_entry_get_type ())

G_DECLARE_FINAL_TYPE (PdCardEntry, pd_card_entry, PD, CARD_ENTRY, GtkWidget)

GtkWidget   *pd_card_entry_new       (void);
/* The brand the digits typed so far belong to (UNKNOWN until it shows). */
PdCardBrand  pd_card_entry_get_brand (PdCardEntry *self);
/* Copies the digits, without spaces, into @digits (wipe it after use).
 * FALSE, with @digits empty, when the text holds no digits. */
gboolean     pd_card_entry_get_digits (PdCardEntry *self,
                                       char         digits[PD_CARD_DIGITS_SIZE]);
/* Empties the field; its secure buffer wipes what it held. */
void         pd_card_entry_wipe      (PdCardEntry *self);

/* Signals:
 *   "activate" (PdCardEntry *self): Enter was pressed in the field. */

G_END_DECLS
