/* pd-transaction-row.c: one transaction in the Transactions list, and how transactions read
 *
 * A row reads left to right as a merchant scans a statement: the status as
 * a coloured pill, who paid (or the order id) above the reference and the
 * card, then the amount above the date. The status column and the amount
 * column have fixed widths so the rows line up like a table.
 */
#define G_LOG_DOMAIN "pd-transaction-row"

#include "config.h"

#include <glib/gi18n.h>

#include "pd-card.h"
#include "pd-money.h"
#include "pd-transaction-row.h"

struct _PdTransactionRow
{
  GtkWidget      parent_instance;

  /* Bound so that disposing the template unparents it. */
  GtkWidget     *content;

  GtkLabel      *status_label;
  GtkLabel      *title_label;
  GtkLabel      *reference_label;
  GtkLabel      *card_label;
  GtkLabel      *amount_label;
  GtkLabel      *date_label;

  PdTransaction *transaction;
};

G_DEFINE_FINAL_TYPE (PdTransactionRow, pd_transaction_row, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TRANSACTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const status_classes[] = { "completed", "failed", "closed", "in-flight", NULL };

/* Formatting ------------------------------------------------------------------ */

/**
 * pd_transaction_format_amount:
 * @transaction: a transaction
 * @minor: an amount in @transaction's currency, such as its amount or refunded amount
 *
 * Returns: (transfer full): @minor for the user's locale, or "" when the currency is unknown
 */
char *
pd_transaction_format_amount (PdTransaction *transaction,
                              gint64         minor)
{
  const char *currency = pd_transaction_get_currency (transaction);
  PdMoney money;

  if (currency == NULL || !pd_money_init (&money, minor, currency, NULL))
    return g_strdup ("");
  return pd_money_to_display (&money, PD_MONEY_DISPLAY_DEFAULT, NULL);
}

/**
 * pd_transaction_format_card:
 * @transaction: a transaction
 *
 * Returns: (transfer full): "Visa •••• 4242" for a card, else the payment
 *   method as the gateway names it ("MPESA"), or ""
 */
char *
pd_transaction_format_card (PdTransaction *transaction)
{
  const char *last_four = pd_transaction_get_card_last_four (transaction);
  const char *method = pd_transaction_get_payment_method (transaction);
  PdCardBrand brand;

  if (last_four != NULL && *last_four != '\0')
    {
      const char *brand_key = pd_transaction_get_card_brand (transaction);
      const char *label;

      if (brand_key != NULL && pd_card_brand_from_key (brand_key, &brand) && brand != PD_CARD_BRAND_UNKNOWN)
        label = pd_card_brand_get_label (brand);
      else
        label = _("Card");
      /* Translators: a masked card: its brand, then its last four digits */
      return g_strdup_printf (_("%s •••• %s"), label, last_four);
    }
  return g_strdup (method != NULL ? method : "");
}

/**
 * pd_transaction_format_time:
 * @unix_time: seconds since 1970, or 0
 *
 * Returns: (transfer full): the local date and time, or "" for 0
 */
char *
pd_transaction_format_time (gint64 unix_time)
{
  g_autoptr(GDateTime) when = NULL;

  if (unix_time <= 0 || (when = g_date_time_new_from_unix_local (unix_time)) == NULL)
    return g_strdup ("");
  /* Translators: a transaction's date and time, see the strftime() manual
   * for the codes; "%-d" is the day without padding */
  return g_date_time_format (when, _("%-d %b %Y, %H:%M"));
}

/**
 * pd_transaction_get_title:
 * @transaction: a transaction
 *
 * Returns: who paid, or else the order id, or else what kind of payment it was
 */
const char *
pd_transaction_get_title (PdTransaction *transaction)
{
  const char *candidates[] = {
    pd_transaction_get_customer_name (transaction),
    pd_transaction_get_customer_email (transaction),
    pd_transaction_get_order_id (transaction),
  };

  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    if (candidates[i] != NULL && *candidates[i] != '\0')
      return candidates[i];
  return pd_transaction_get_gateway (transaction) == PD_GATEWAY_PAYSGATOR ? _("Wallet payment") : _("Card payment");
}

/**
 * pd_transaction_style_status:
 * @label: a label
 * @status: a status
 *
 * Completed is green, failed red, refunded and cancelled grey, and every
 * status still on its way (initialized, pending, authorized) yellow.
 */
void
pd_transaction_style_status (GtkLabel *label,
                             PdStatus  status)
{
  const char *class;

  switch (status)
    {
    case PD_STATUS_COMPLETED:
      class = "completed";
      break;
    case PD_STATUS_FAILED:
      class = "failed";
      break;
    case PD_STATUS_REFUNDED:
    case PD_STATUS_CANCELLED:
    case PD_STATUS_UNKNOWN:
      class = "closed";
      break;
    case PD_STATUS_INITIALIZED:
    case PD_STATUS_PENDING:
    case PD_STATUS_AUTHORIZED:
    default:
      class = "in-flight";
      break;
    }

  for (guint i = 0; status_classes[i] != NULL; i++)
    gtk_widget_remove_css_class (GTK_WIDGET (label), status_classes[i]);
  gtk_widget_add_css_class (GTK_WIDGET (label), "status-pill");
  gtk_widget_add_css_class (GTK_WIDGET (label), class);
  gtk_label_set_label (label, pd_status_get_label (status));
}

/* The row ------------------------------------------------------------------------ */

static void
update (PdTransactionRow *self)
{
  g_autofree char *amount = NULL;
  g_autofree char *card = NULL;
  g_autofree char *date = NULL;
  g_autofree char *summary = NULL;
  PdTransaction *t = self->transaction;

  if (t == NULL)
    return;

  amount = pd_transaction_format_amount (t, pd_transaction_get_amount (t));
  card = pd_transaction_format_card (t);
  date = pd_transaction_format_time (pd_transaction_get_created_at (t));

  pd_transaction_style_status (self->status_label, pd_transaction_get_status (t));
  gtk_label_set_label (self->title_label, pd_transaction_get_title (t));
  gtk_label_set_label (self->reference_label, pd_transaction_get_reference (t));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->reference_label), pd_transaction_get_reference (t));
  gtk_label_set_label (self->card_label, card);
  gtk_label_set_label (self->amount_label, amount);
  gtk_label_set_label (self->date_label, date);

  /* Translators: how a screen reader reads a row: status, amount, who or what, card, date */
  summary = g_strdup_printf (_("%s, %s, %s, %s, %s"),
                             pd_status_get_label (pd_transaction_get_status (t)), amount,
                             pd_transaction_get_title (t), card, date);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, summary, -1);
}

static void
pd_transaction_row_dispose (GObject *object)
{
  PdTransactionRow *self = PD_TRANSACTION_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), PD_TYPE_TRANSACTION_ROW);
  g_clear_object (&self->transaction);

  G_OBJECT_CLASS (pd_transaction_row_parent_class)->dispose (object);
}

static void
pd_transaction_row_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  PdTransactionRow *self = PD_TRANSACTION_ROW (object);

  switch (prop_id)
    {
    case PROP_TRANSACTION:
      g_value_set_object (value, self->transaction);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_transaction_row_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  PdTransactionRow *self = PD_TRANSACTION_ROW (object);

  switch (prop_id)
    {
    case PROP_TRANSACTION:
      pd_transaction_row_set_transaction (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_transaction_row_class_init (PdTransactionRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_transaction_row_dispose;
  object_class->get_property = pd_transaction_row_get_property;
  object_class->set_property = pd_transaction_row_set_property;

  properties[PROP_TRANSACTION] =
    g_param_spec_object ("transaction", NULL, NULL,
                         PD_TYPE_TRANSACTION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/paydesk/Paydesk/pd-transaction-row.ui");
  gtk_widget_class_bind_template_child (widget_class, PdTransactionRow, content);
  gtk_widget_class_bind_template_child (widget_class, PdTransactionRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, PdTransactionRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, PdTransactionRow, reference_label);
  gtk_widget_class_bind_template_child (widget_class, PdTransactionRow, card_label);
  gtk_widget_class_bind_template_child (widget_class, PdTransactionRow, amount_label);
  gtk_widget_class_bind_template_child (widget_class, PdTransactionRow, date_label);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "transaction-row");
}

static void
pd_transaction_row_init (PdTransactionRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
pd_transaction_row_new (void)
{
  return g_object_new (PD_TYPE_TRANSACTION_ROW, NULL);
}

/**
 * pd_transaction_row_get_transaction:
 * @self: a row
 *
 * Returns: (transfer none) (nullable): the transaction shown
 */
PdTransaction *
pd_transaction_row_get_transaction (PdTransactionRow *self)
{
  g_return_val_if_fail (PD_IS_TRANSACTION_ROW (self), NULL);

  return self->transaction;
}

void
pd_transaction_row_set_transaction (PdTransactionRow *self,
                                    PdTransaction    *transaction)
{
  g_return_if_fail (PD_IS_TRANSACTION_ROW (self));
  g_return_if_fail (transaction == NULL || PD_IS_TRANSACTION (transaction));

  if (!g_set_object (&self->transaction, transaction))
    return;
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRANSACTION]);
}
