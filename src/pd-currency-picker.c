/* pd-currency-picker.c: chooses an ISO 4217 currency, the account's usual ones first
 *
 * A button showing the code, with a popover listing every active ISO 4217
 * currency: the usual ones of the account first, then the rest by code. The
 * search field finds a currency by code or by (translated) name.
 */
#define G_LOG_DOMAIN "pd-currency-picker"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "pd-currency-picker.h"
#include "pd-money.h"

#define DEFAULT_CURRENCY "USD"

struct _PdCurrencyPicker
{
  GtkWidget       parent_instance;

  GtkMenuButton  *button;
  GtkPopover     *popover;
  GtkSearchEntry *search_entry;
  GtkListBox     *list;
  GtkLabel       *empty_label;

  char           *currency;
  GStrv           usual;
  char           *search;
  guint           n_shown;
};

G_DEFINE_FINAL_TYPE (PdCurrencyPicker, pd_currency_picker, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CURRENCY,
  PROP_USUAL_CURRENCIES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *
row_code (GtkListBoxRow *row)
{
  return g_object_get_data (G_OBJECT (row), "pd-currency-code");
}

static gboolean
row_is_usual (GtkListBoxRow *row)
{
  return GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "pd-currency-usual"));
}

static gboolean
contains_folded (const char *haystack,
                 const char *folded_needle)
{
  g_autofree char *folded = g_utf8_casefold (haystack, -1);

  return strstr (folded, folded_needle) != NULL;
}

static gboolean
filter_row (GtkListBoxRow *row,
            gpointer       user_data)
{
  PdCurrencyPicker *self = user_data;
  const char *code = row_code (row);
  g_autofree char *needle = NULL;
  const char *name;

  if (self->search == NULL || self->search[0] == '\0')
    return TRUE;

  needle = g_utf8_casefold (self->search, -1);
  name = pd_money_currency_name (code);
  return contains_folded (code, needle) || (name != NULL && contains_folded (name, needle));
}

static void
update_header (GtkListBoxRow *row,
               GtkListBoxRow *before,
               gpointer       user_data)
{
  const char *title = NULL;

  if (before == NULL && row_is_usual (row))
    title = _("Usual");
  else if (!row_is_usual (row) && (before == NULL || row_is_usual (before)))
    title = _("All Currencies");

  if (title == NULL)
    {
      gtk_list_box_row_set_header (row, NULL);
      return;
    }

  if (gtk_list_box_row_get_header (row) == NULL)
    {
      GtkWidget *label = gtk_label_new (NULL);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_add_css_class (label, "heading");
      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_set_margin_top (label, 6);
      gtk_widget_set_margin_start (label, 6);
      gtk_list_box_row_set_header (row, label);
    }
  gtk_label_set_label (GTK_LABEL (gtk_list_box_row_get_header (row)), title);
}

static void
add_row (PdCurrencyPicker *self,
         const char       *code,
         gboolean          usual)
{
  /* Translators: a currency in a list: its code, then its name, e.g. "EUR — Euro" */
  g_autofree char *text = g_strdup_printf (_("%s — %s"), code, pd_money_currency_name (code));
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
  g_object_set_data_full (G_OBJECT (row), "pd-currency-code", g_strdup (code), g_free);
  g_object_set_data (G_OBJECT (row), "pd-currency-usual", GINT_TO_POINTER (usual));
  gtk_list_box_append (self->list, row);
}

static void
rebuild_rows (PdCurrencyPicker *self)
{
  g_auto(GStrv) codes = pd_money_currency_codes ();
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);

  for (guint i = 0; self->usual != NULL && self->usual[i] != NULL; i++)
    add_row (self, self->usual[i], TRUE);
  for (guint i = 0; codes[i] != NULL; i++)
    if (self->usual == NULL || !g_strv_contains ((const char * const *) self->usual, codes[i]))
      add_row (self, codes[i], FALSE);
}

static void
count_shown (PdCurrencyPicker *self)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_BOX_ROW (child) && filter_row (GTK_LIST_BOX_ROW (child), self))
      n++;

  self->n_shown = n;
  gtk_widget_set_visible (GTK_WIDGET (self->empty_label), n == 0);
}

static void
search_changed_cb (PdCurrencyPicker *self)
{
  pd_currency_picker_set_search (self, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

/* Enter takes the first currency left. */
static void
search_activate_cb (PdCurrencyPicker *self)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_BOX_ROW (child) && filter_row (GTK_LIST_BOX_ROW (child), self))
      {
        pd_currency_picker_set_currency (self, row_code (GTK_LIST_BOX_ROW (child)));
        gtk_popover_popdown (self->popover);
        return;
      }
}

static void
stop_search_cb (PdCurrencyPicker *self)
{
  gtk_popover_popdown (self->popover);
}

static void
popover_show_cb (PdCurrencyPicker *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
row_activated_cb (PdCurrencyPicker *self,
                  GtkListBoxRow    *row)
{
  pd_currency_picker_set_currency (self, row_code (row));
  gtk_popover_popdown (self->popover);
}

static gboolean
pd_currency_picker_grab_focus (GtkWidget *widget)
{
  return gtk_widget_grab_focus (GTK_WIDGET (PD_CURRENCY_PICKER (widget)->button));
}

static gboolean
pd_currency_picker_mnemonic_activate (GtkWidget *widget,
                                      gboolean   group_cycling)
{
  return gtk_widget_mnemonic_activate (GTK_WIDGET (PD_CURRENCY_PICKER (widget)->button), group_cycling);
}

static void
pd_currency_picker_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), PD_TYPE_CURRENCY_PICKER);

  G_OBJECT_CLASS (pd_currency_picker_parent_class)->dispose (object);
}

static void
pd_currency_picker_finalize (GObject *object)
{
  PdCurrencyPicker *self = PD_CURRENCY_PICKER (object);

  g_free (self->currency);
  g_strfreev (self->usual);
  g_free (self->search);

  G_OBJECT_CLASS (pd_currency_picker_parent_class)->finalize (object);
}

static void
pd_currency_picker_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  PdCurrencyPicker *self = PD_CURRENCY_PICKER (object);

  switch (prop_id)
    {
    case PROP_CURRENCY:
      g_value_set_string (value, self->currency);
      break;
    case PROP_USUAL_CURRENCIES:
      g_value_set_boxed (value, self->usual);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_currency_picker_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  PdCurrencyPicker *self = PD_CURRENCY_PICKER (object);

  switch (prop_id)
    {
    case PROP_CURRENCY:
      pd_currency_picker_set_currency (self, g_value_get_string (value));
      break;
    case PROP_USUAL_CURRENCIES:
      pd_currency_picker_set_usual_currencies (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_currency_picker_class_init (PdCurrencyPickerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_currency_picker_dispose;
  object_class->finalize = pd_currency_picker_finalize;
  object_class->get_property = pd_currency_picker_get_property;
  object_class->set_property = pd_currency_picker_set_property;

  widget_class->grab_focus = pd_currency_picker_grab_focus;
  widget_class->mnemonic_activate = pd_currency_picker_mnemonic_activate;

  properties[PROP_CURRENCY] =
    g_param_spec_string ("currency", NULL, NULL,
                         DEFAULT_CURRENCY,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_USUAL_CURRENCIES] =
    g_param_spec_boxed ("usual-currencies", NULL, NULL,
                        G_TYPE_STRV,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/paydesk/Paydesk/pd-currency-picker.ui");
  gtk_widget_class_bind_template_child (widget_class, PdCurrencyPicker, button);
  gtk_widget_class_bind_template_child (widget_class, PdCurrencyPicker, popover);
  gtk_widget_class_bind_template_child (widget_class, PdCurrencyPicker, search_entry);
  gtk_widget_class_bind_template_child (widget_class, PdCurrencyPicker, list);
  gtk_widget_class_bind_template_child (widget_class, PdCurrencyPicker, empty_label);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, popover_show_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
pd_currency_picker_init (PdCurrencyPicker *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->currency = g_strdup (DEFAULT_CURRENCY);
  gtk_menu_button_set_label (self->button, self->currency);
  gtk_list_box_set_filter_func (self->list, filter_row, self, NULL);
  gtk_list_box_set_header_func (self->list, update_header, NULL, NULL);
  rebuild_rows (self);
  count_shown (self);
}

GtkWidget *
pd_currency_picker_new (void)
{
  return g_object_new (PD_TYPE_CURRENCY_PICKER, NULL);
}

const char *
pd_currency_picker_get_currency (PdCurrencyPicker *self)
{
  g_return_val_if_fail (PD_IS_CURRENCY_PICKER (self), NULL);

  return self->currency;
}

void
pd_currency_picker_set_currency (PdCurrencyPicker *self,
                                 const char       *currency)
{
  g_return_if_fail (PD_IS_CURRENCY_PICKER (self));

  if (currency == NULL || !pd_money_currency_is_known (currency) || g_strcmp0 (self->currency, currency) == 0)
    return;

  g_free (self->currency);
  self->currency = g_strdup (currency);
  gtk_menu_button_set_label (self->button, currency);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENCY]);
}

const char * const *
pd_currency_picker_get_usual_currencies (PdCurrencyPicker *self)
{
  g_return_val_if_fail (PD_IS_CURRENCY_PICKER (self), NULL);

  return (const char * const *) self->usual;
}

void
pd_currency_picker_set_usual_currencies (PdCurrencyPicker   *self,
                                         const char * const *currencies)
{
  g_autoptr(GPtrArray) kept = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) usual = NULL;

  g_return_if_fail (PD_IS_CURRENCY_PICKER (self));

  /* Each known code once, in the account's order. */
  for (guint i = 0; currencies != NULL && currencies[i] != NULL; i++)
    if (pd_money_currency_is_known (currencies[i]) &&
        !g_ptr_array_find_with_equal_func (kept, currencies[i], g_str_equal, NULL))
      g_ptr_array_add (kept, g_strdup (currencies[i]));
  g_ptr_array_add (kept, NULL);
  usual = (GStrv) g_ptr_array_steal (kept, NULL);

  if (self->usual != NULL && g_strv_equal ((const char * const *) self->usual, (const char * const *) usual))
    return;

  g_strfreev (self->usual);
  self->usual = g_steal_pointer (&usual);
  rebuild_rows (self);
  count_shown (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USUAL_CURRENCIES]);
}

void
pd_currency_picker_set_search (PdCurrencyPicker *self,
                               const char       *text)
{
  g_return_if_fail (PD_IS_CURRENCY_PICKER (self));

  g_free (self->search);
  self->search = g_strstrip (g_strdup (text != NULL ? text : ""));
  gtk_list_box_invalidate_filter (self->list);
  gtk_list_box_invalidate_headers (self->list);
  count_shown (self);
}

guint
pd_currency_picker_get_n_shown (PdCurrencyPicker *self)
{
  g_return_val_if_fail (PD_IS_CURRENCY_PICKER (self), 0);

  return self->n_shown;
}
