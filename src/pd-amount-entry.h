/* pd-amount-entry.h: an amount field that reads the user's text exactly, in a currency */
#pragma once

#include <gtk/gtk.h>

#include "pd-money.h"

G_BEGIN_DECLS

#define PD_TYPE_AMOUNT_ENTRY (pd_amount_entry_get_type ())

G_DECLARE_FINAL_TYPE (PdAmountEntry, pd_amount_entry, PD, AMOUNT_ENTRY, GtkWidget)

GtkWidget  *pd_amount_entry_new          (void);
const char *pd_amount_entry_get_currency (PdAmountEntry *self);
void        pd_amount_entry_set_currency (PdAmountEntry *self,
                                          const char    *currency);
/* The amount typed, exactly, in the entry's currency. Fails with a
 * translated PD_MONEY_ERROR when the text is no amount of that currency,
 * or is below the smallest a payment may be (0.01, or one unit of a
 * currency without decimals). */
gboolean    pd_amount_entry_get_money    (PdAmountEntry *self,
                                          PdMoney       *money,
                                          GError       **error);

/* Signals:
 *   "activate" (PdAmountEntry *self): Enter was pressed in the field. */

G_END_DECLS
