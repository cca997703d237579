/* pd-amount-entry.c: an amount field that reads the user's text exactly, in a currency
 *
 * The text is read with the locale's marks by pd_money_parse_user_text():
 * never through a double, and never with more decimals than the currency
 * has. Letters are refused as they are typed.
 */
#define G_LOG_DOMAIN "pd-amount-entry"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "pd-amount-entry.h"

#define DEFAULT_CURRENCY "USD"

struct _PdAmountEntry
{
  GtkWidget  parent_instance;

  GtkText   *text;

  char      *currency;
};

static void pd_amount_entry_editable_init (GtkEditableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (PdAmountEntry, pd_amount_entry, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_EDITABLE, pd_amount_entry_editable_init))

enum {
  PROP_0,
  PROP_CURRENCY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_ACTIVATE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Enter in the field, as GtkEntry says it. */
static void
text_activate_cb (PdAmountEntry *self)
{
  g_signal_emit (self, signals[SIGNAL_ACTIVATE], 0);
}

/* Digits, the marks amounts are written with, and spaces. */
static gboolean
is_amount_char (gunichar c)
{
  return g_unichar_isdigit (c) || g_unichar_isspace (c) || g_unichar_ispunct (c) ||
         c == 0x00A0 || c == 0x202F || c == 0x2212;
}

static void
insert_text_cb (PdAmountEntry *self,
                const char    *text,
                int            length,
                int           *position,
                GtkEditable   *editable)
{
  g_autoptr(GString) kept = g_string_new (NULL);
  const char *end = text + (length < 0 ? (int) strlen (text) : length);

  for (const char *p = text; p < end; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char_validated (p, end - p);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        break;
      if (is_amount_char (c))
        g_string_append_unichar (kept, c);
    }

  if (kept->len == (gsize) (end - text))
    return;

  g_signal_handlers_block_by_func (editable, insert_text_cb, self);
  gtk_editable_insert_text (editable, kept->str, (int) kept->len, position);
  g_signal_handlers_unblock_by_func (editable, insert_text_cb, self);
  g_signal_stop_emission_by_name (editable, "insert-text");
  gtk_widget_error_bell (GTK_WIDGET (self));
}

static void
update_currency (PdAmountEntry *self)
{
  PdMoney zero = { 0 };
  g_autofree char *placeholder = NULL;

  if (pd_money_init (&zero, 0, self->currency, NULL))
    placeholder = pd_money_to_display (&zero, PD_MONEY_DISPLAY_NO_CURRENCY | PD_MONEY_DISPLAY_NO_GROUPING, NULL);
  gtk_text_set_placeholder_text (self->text, placeholder);
}

static GtkEditable *
pd_amount_entry_get_delegate (GtkEditable *editable)
{
  return GTK_EDITABLE (PD_AMOUNT_ENTRY (editable)->text);
}

static void
pd_amount_entry_editable_init (GtkEditableInterface *iface)
{
  iface->get_delegate = pd_amount_entry_get_delegate;
}

static gboolean
pd_amount_entry_grab_focus (GtkWidget *widget)
{
  return gtk_widget_grab_focus (GTK_WIDGET (PD_AMOUNT_ENTRY (widget)->text));
}

static gboolean
pd_amount_entry_mnemonic_activate (GtkWidget *widget,
                                   gboolean   group_cycling)
{
  return pd_amount_entry_grab_focus (widget);
}

static void
pd_amount_entry_dispose (GObject *object)
{
  PdAmountEntry *self = PD_AMOUNT_ENTRY (object);

  if (self->text != NULL)
    gtk_editable_finish_delegate (GTK_EDITABLE (self));
  gtk_widget_dispose_template (GTK_WIDGET (object), PD_TYPE_AMOUNT_ENTRY);
  self->text = NULL;

  G_OBJECT_CLASS (pd_amount_entry_parent_class)->dispose (object);
}

static void
pd_amount_entry_finalize (GObject *object)
{
  PdAmountEntry *self = PD_AMOUNT_ENTRY (object);

  g_free (self->currency);

  G_OBJECT_CLASS (pd_amount_entry_parent_class)->finalize (object);
}

static void
pd_amount_entry_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  PdAmountEntry *self = PD_AMOUNT_ENTRY (object);

  if (gtk_editable_delegate_get_property (object, prop_id, value, pspec))
    return;

  switch (prop_id)
    {
    case PROP_CURRENCY:
      g_value_set_string (value, self->currency);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_amount_entry_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  PdAmountEntry *self = PD_AMOUNT_ENTRY (object);

  if (gtk_editable_delegate_set_property (object, prop_id, value, pspec))
    return;

  switch (prop_id)
    {
    case PROP_CURRENCY:
      pd_amount_entry_set_currency (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_amount_entry_class_init (PdAmountEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_amount_entry_dispose;
  object_class->finalize = pd_amount_entry_finalize;
  object_class->get_property = pd_amount_entry_get_property;
  object_class->set_property = pd_amount_entry_set_property;

  widget_class->grab_focus = pd_amount_entry_grab_focus;
  widget_class->mnemonic_activate = pd_amount_entry_mnemonic_activate;

  properties[PROP_CURRENCY] =
    g_param_spec_string ("currency", NULL, NULL,
                         DEFAULT_CURRENCY,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  gtk_editable_install_properties (object_class, N_PROPS);

  signals[SIGNAL_ACTIVATE] =
    g_signal_new ("activate",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/paydesk/Paydesk/pd-amount-entry.ui");
  gtk_widget_class_bind_template_child (widget_class, PdAmountEntry, text);
  gtk_widget_class_bind_template_callback (widget_class, insert_text_cb);
  gtk_widget_class_bind_template_callback (widget_class, text_activate_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "entry");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_TEXT_BOX);
}

static void
pd_amount_entry_init (PdAmountEntry *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_editable_init_delegate (GTK_EDITABLE (self));

  self->currency = g_strdup (DEFAULT_CURRENCY);
  update_currency (self);
}

GtkWidget *
pd_amount_entry_new (void)
{
  return g_object_new (PD_TYPE_AMOUNT_ENTRY, NULL);
}

const char *
pd_amount_entry_get_currency (PdAmountEntry *self)
{
  g_return_val_if_fail (PD_IS_AMOUNT_ENTRY (self), NULL);

  return self->currency;
}

void
pd_amount_entry_set_currency (PdAmountEntry *self,
                              const char    *currency)
{
  g_return_if_fail (PD_IS_AMOUNT_ENTRY (self));

  if (currency == NULL || !pd_money_currency_is_known (currency))
    currency = DEFAULT_CURRENCY;
  if (g_strcmp0 (self->currency, currency) == 0)
    return;

  g_free (self->currency);
  self->currency = g_strdup (currency);
  update_currency (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENCY]);
}

gboolean
pd_amount_entry_get_money (PdAmountEntry *self,
                           PdMoney       *money,
                           GError       **error)
{
  int exponent;
  gint64 minimum = 1;

  g_return_val_if_fail (PD_IS_AMOUNT_ENTRY (self), FALSE);
  g_return_val_if_fail (money != NULL, FALSE);

  if (!pd_money_parse_user_text (gtk_editable_get_text (GTK_EDITABLE (self->text)), self->currency,
                                 NULL, money, error))
    return FALSE;

  /* The gateway's minimum is 0.01: one cent, or one unit of a currency with fewer decimals. */
  exponent = pd_money_currency_exponent (self->currency);
  for (int i = 2; i < exponent; i++)
    minimum *= 10;
  if (money->minor < minimum)
    {
      PdMoney least;
      g_autofree char *text = NULL;

      pd_money_init (&least, minimum, self->currency, NULL);
      text = pd_money_to_display (&least, PD_MONEY_DISPLAY_DEFAULT, NULL);
      /* Translators: %s is the smallest amount, e.g. "$0.01" */
      g_set_error (error, PD_MONEY_ERROR, PD_MONEY_ERROR_NEGATIVE, _("The amount must be at least %s"), text);
      return FALSE;
    }
  return TRUE;
}
