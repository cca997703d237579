/* pd-currency-picker.h: chooses an ISO 4217 currency, the account's usual ones first */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PD_TYPE_CURRENCY_PICKER (pd_currency_picker_get_type ())

G_DECLARE_FINAL_TYPE (PdCurrencyPicker, pd_currency_picker, PD, CURRENCY_PICKER, GtkWidget)

GtkWidget          *pd_currency_picker_new                 (void);
const char         *pd_currency_picker_get_currency        (PdCurrencyPicker   *self);
/* Ignores codes that are not in ISO 4217. */
void                pd_currency_picker_set_currency        (PdCurrencyPicker   *self,
                                                            const char         *currency);
const char * const *pd_currency_picker_get_usual_currencies (PdCurrencyPicker  *self);
/* Listed first, in this order. */
void                pd_currency_picker_set_usual_currencies (PdCurrencyPicker  *self,
                                                            const char * const *currencies);
/* Keeps the rows whose code or name contains @text (any case): what the
 * search field does. */
void                pd_currency_picker_set_search          (PdCurrencyPicker   *self,
                                                            const char         *text);
/* How many rows the search leaves. */
guint               pd_currency_picker_get_n_shown         (PdCurrencyPicker   *self);

G_END_DECLS
