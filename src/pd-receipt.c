/* pd-receipt.c: the result of a card payment, to read, copy and print
 *
 * Shows what the ledger keeps of a payment (brand and last four, never
 * the number), its status in words and colour, and prints the same lines
 * through GtkPrintOperation.
 */
#define G_LOG_DOMAIN "pd-receipt"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "pd-card.h"
#include "pd-money.h"
#include "pd-receipt.h"
#include "pd-sandbox-badge.h"
#include "pd-window.h"

struct _PdReceipt
{
  GtkWidget       parent_instance;

  /* Bound so that disposing the template unparents it. */
  GtkWidget      *box;
  GtkImage       *status_icon;
  GtkLabel       *status_label;
  GtkLabel       *amount_label;
  GtkLabel       *note_label;
  PdSandboxBadge *sandbox_badge;
  GtkLabel       *card_label;
  GtkLabel       *reference_label;
  GtkLabel       *order_label;
  GtkLabel       *provider_label;
  GtkLabel       *merchant_label;
  GtkLabel       *time_label;

  PdTransaction  *transaction;
  char           *merchant;
  char           *note;
  gboolean        sandbox;
};

G_DEFINE_FINAL_TYPE (PdReceipt, pd_receipt, GTK_TYPE_WIDGET)

enum {
  SIGNAL_NEW_PAYMENT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char * const status_classes[] = { "success", "error", "warning", "accent", "dim-label" };

static const char *
provider_label (const char *provider)
{
  if (g_strcmp0 (provider, "cybersource") == 0)
    return "CyberSource";
  if (g_strcmp0 (provider, "mpgs") == 0)
    return "MPGS";
  return provider != NULL ? provider : "";
}

static char *
dup_amount_text (PdTransaction *transaction)
{
  PdMoney money;

  if (!pd_money_init (&money, pd_transaction_get_amount (transaction),
                      pd_transaction_get_currency (transaction), NULL))
    return g_strdup ("");
  return pd_money_to_display (&money, PD_MONEY_DISPLAY_CODE, NULL);
}

/* "Visa •••• 4242": what may be kept of a card. */
static char *
dup_card_text (PdTransaction *transaction)
{
  const char *key = pd_transaction_get_card_brand (transaction);
  const char *last_four = pd_transaction_get_card_last_four (transaction);
  g_autofree char *masked = NULL;
  PdCardBrand brand = PD_CARD_BRAND_UNKNOWN;

  if (key != NULL)
    pd_card_brand_from_key (key, &brand);
  if (last_four == NULL || !pd_transaction_is_valid_last_four (last_four))
    return g_strdup (pd_card_brand_get_label (brand));

  masked = g_strconcat ("\u2022\u2022\u2022\u2022 ", last_four, NULL);
  /* Translators: a card brand, then the card's masked number: "Visa •••• 4242" */
  return g_strdup_printf (C_("card", "%s %s"), pd_card_brand_get_label (brand), masked);
}

static char *
dup_time_text (PdTransaction *transaction)
{
  gint64 at = pd_transaction_get_completed_at (transaction);
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (at <= 0)
    at = pd_transaction_get_created_at (transaction);
  if (at <= 0)
    return g_strdup ("");

  utc = g_date_time_new_from_unix_utc (at);
  local = g_date_time_to_local (utc);
  /* Translators: the date and time of a payment on its receipt; see g_date_time_format() */
  return g_date_time_format (local, _("%-d %B %Y, %H:%M:%S"));
}

static void
set_status_style (PdReceipt  *self,
                  const char *icon_name,
                  const char *style)
{
  for (guint i = 0; i < G_N_ELEMENTS (status_classes); i++)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->status_icon), status_classes[i]);
      gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), status_classes[i]);
    }
  gtk_image_set_from_icon_name (self->status_icon, icon_name);
  gtk_widget_add_css_class (GTK_WIDGET (self->status_icon), style);
  gtk_widget_add_css_class (GTK_WIDGET (self->status_label), style);
}

static void
update (PdReceipt *self)
{
  g_autofree char *amount = NULL;
  g_autofree char *card = NULL;
  g_autofree char *time = NULL;
  PdStatus status;

  gtk_label_set_label (self->merchant_label, self->merchant != NULL ? self->merchant : "");
  gtk_label_set_label (self->note_label, self->note);
  gtk_widget_set_visible (GTK_WIDGET (self->note_label), self->note != NULL && self->note[0] != '\0');
  gtk_widget_set_visible (GTK_WIDGET (self->sandbox_badge), self->sandbox);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "receipt.copy-reference", self->transaction != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "receipt.print", self->transaction != NULL);

  if (self->transaction == NULL)
    return;

  status = pd_transaction_get_status (self->transaction);
  gtk_label_set_label (self->status_label, pd_status_get_label (status));
  switch (status)
    {
    case PD_STATUS_COMPLETED:
      set_status_style (self, "emblem-ok-symbolic", "success");
      break;
    case PD_STATUS_FAILED:
      set_status_style (self, "dialog-error-symbolic", "error");
      break;
    case PD_STATUS_CANCELLED:
      set_status_style (self, "action-unavailable-symbolic", "dim-label");
      break;
    case PD_STATUS_REFUNDED:
      set_status_style (self, "emblem-ok-symbolic", "accent");
      break;
    case PD_STATUS_UNKNOWN:
    case PD_STATUS_INITIALIZED:
    case PD_STATUS_PENDING:
    case PD_STATUS_AUTHORIZED:
    default:
      set_status_style (self, "emblem-synchronizing-symbolic", "warning");
      break;
    }

  amount = dup_amount_text (self->transaction);
  card = dup_card_text (self->transaction);
  time = dup_time_text (self->transaction);
  gtk_label_set_label (self->amount_label, amount);
  gtk_label_set_label (self->card_label, card);
  gtk_label_set_label (self->reference_label, pd_transaction_get_reference (self->transaction));
  gtk_label_set_label (self->order_label, pd_transaction_get_order_id (self->transaction));
  gtk_label_set_label (self->provider_label, provider_label (pd_transaction_get_provider (self->transaction)));
  gtk_label_set_label (self->time_label, time);
}

static void
new_payment_clicked_cb (PdReceipt *self)
{
  g_signal_emit (self, signals[SIGNAL_NEW_PAYMENT], 0);
}

static void
copy_reference_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  PdReceipt *self = PD_RECEIPT (widget);
  GtkRoot *root = gtk_widget_get_root (widget);

  if (self->transaction == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), pd_transaction_get_reference (self->transaction));
  if (PD_IS_WINDOW (root))
    pd_window_show_toast (PD_WINDOW (root), _("Reference copied"));
}

/* Printing ------------------------------------------------------------------- */

static void
draw_page_cb (GtkPrintOperation *operation,
              GtkPrintContext   *context,
              int                page_nr,
              PdReceipt         *self)
{
  g_autoptr(PangoLayout) layout = gtk_print_context_create_pango_layout (context);
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string ("Sans 11");
  g_autofree char *text = pd_receipt_dup_text (self);
  cairo_t *cr = gtk_print_context_get_cairo_context (context);

  pango_layout_set_font_description (layout, font);
  pango_layout_set_width (layout, (int) (gtk_print_context_get_width (context) * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_spacing (layout, 4 * PANGO_SCALE);
  pango_layout_set_text (layout, text, -1);

  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_move_to (cr, 0, 0);
  pango_cairo_show_layout (cr, layout);
}

static GtkPrintOperation *
new_print_operation (PdReceipt *self)
{
  GtkPrintOperation *operation = gtk_print_operation_new ();
  g_autofree char *name = NULL;

  /* Translators: the name of a printed receipt, %s is the payment's order id */
  name = g_strdup_printf (_("Receipt %s"), pd_transaction_get_order_id (self->transaction));
  gtk_print_operation_set_job_name (operation, name);
  gtk_print_operation_set_n_pages (operation, 1);
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  g_signal_connect_object (operation, "draw-page", G_CALLBACK (draw_page_cb), self, 0);
  return operation;
}

static void
print_done_cb (GtkPrintOperation       *operation,
               GtkPrintOperationResult  result,
               PdReceipt               *self)
{
  g_autoptr(GError) error = NULL;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (result != GTK_PRINT_OPERATION_RESULT_ERROR)
    return;

  gtk_print_operation_get_error (operation, &error);
  if (PD_IS_WINDOW (root))
    pd_window_show_error (PD_WINDOW (root), _("The receipt could not be printed"),
                          error != NULL ? error->message : NULL);
}

static void
print_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  PdReceipt *self = PD_RECEIPT (widget);
  g_autoptr(GtkPrintOperation) operation = NULL;
  g_autoptr(GError) error = NULL;
  GtkRoot *root = gtk_widget_get_root (widget);

  if (self->transaction == NULL)
    return;

  operation = new_print_operation (self);
  gtk_print_operation_set_allow_async (operation, TRUE);
  g_signal_connect_object (operation, "done", G_CALLBACK (print_done_cb), self, 0);
  if (gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                               &error) == GTK_PRINT_OPERATION_RESULT_ERROR &&
      PD_IS_WINDOW (root))
    pd_window_show_error (PD_WINDOW (root), _("The receipt could not be printed"), error->message);
}

/* GObject -------------------------------------------------------------------- */

static void
pd_receipt_dispose (GObject *object)
{
  PdReceipt *self = PD_RECEIPT (object);

  gtk_widget_dispose_template (GTK_WIDGET (object), PD_TYPE_RECEIPT);
  g_clear_object (&self->transaction);

  G_OBJECT_CLASS (pd_receipt_parent_class)->dispose (object);
}

static void
pd_receipt_finalize (GObject *object)
{
  PdReceipt *self = PD_RECEIPT (object);

  g_free (self->merchant);
  g_free (self->note);

  G_OBJECT_CLASS (pd_receipt_parent_class)->finalize (object);
}

static void
pd_receipt_class_init (PdReceiptClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_receipt_dispose;
  object_class->finalize = pd_receipt_finalize;

  signals[SIGNAL_NEW_PAYMENT] =
    g_signal_new ("new-payment",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  g_type_ensure (PD_TYPE_SANDBOX_BADGE);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/paydesk/Paydesk/pd-receipt.ui");
  gtk_widget_class_bind_template_child (widget_class, PdReceipt, box);
  gtk_widget_class_bind_template_child (widget_class, PdReceipt, status_icon);
  gtk_widget_class_bind_template_child (widget_class, PdReceipt, status_label);
  gtk_widget_class_bind_template_child (widget_class, PdReceipt, amount_label);
  gtk_widget_class_bind_template_child (widget_class, PdReceipt, note_label);
  gtk_widget_class_bind_template_child (widget_class, PdReceipt, sandbox_badge);
  gtk_widget_class_bind_template_child (widget_class, PdReceipt, card_label);
  gtk_widget_class_bind_template_child (widget_class, PdReceipt, reference_label);
  gtk_widget_class_bind_template_child (widget_class, PdReceipt, order_label);
  gtk_widget_class_bind_template_child (widget_class, PdReceipt, provider_label);
  gtk_widget_class_bind_template_child (widget_class, PdReceipt, merchant_label);
  gtk_widget_class_bind_template_child (widget_class, PdReceipt, time_label);
  gtk_widget_class_bind_template_callback (widget_class, new_payment_clicked_cb);

  gtk_widget_class_install_action (widget_class, "receipt.copy-reference", NULL, copy_reference_action);
  gtk_widget_class_install_action (widget_class, "receipt.print", NULL, print_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK, "receipt.print", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
pd_receipt_init (PdReceipt *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update (self);
}

GtkWidget *
pd_receipt_new (void)
{
  return g_object_new (PD_TYPE_RECEIPT, NULL);
}

void
pd_receipt_set_transaction (PdReceipt     *self,
                            PdTransaction *transaction)
{
  g_return_if_fail (PD_IS_RECEIPT (self));
  g_return_if_fail (transaction == NULL || PD_IS_TRANSACTION (transaction));

  g_set_object (&self->transaction, transaction);
  update (self);
}

PdTransaction *
pd_receipt_get_transaction (PdReceipt *self)
{
  g_return_val_if_fail (PD_IS_RECEIPT (self), NULL);

  return self->transaction;
}

void
pd_receipt_set_merchant (PdReceipt  *self,
                         const char *merchant)
{
  g_return_if_fail (PD_IS_RECEIPT (self));

  g_free (self->merchant);
  self->merchant = g_strdup (merchant);
  update (self);
}

void
pd_receipt_set_sandbox (PdReceipt *self,
                        gboolean   sandbox)
{
  g_return_if_fail (PD_IS_RECEIPT (self));

  self->sandbox = !!sandbox;
  update (self);
}

void
pd_receipt_set_note (PdReceipt  *self,
                     const char *note)
{
  g_return_if_fail (PD_IS_RECEIPT (self));

  g_free (self->note);
  self->note = g_strdup (note);
  update (self);
}

const char *
pd_receipt_get_status_text (PdReceipt *self)
{
  g_return_val_if_fail (PD_IS_RECEIPT (self), NULL);

  return gtk_label_get_label (self->status_label);
}

char *
pd_receipt_dup_text (PdReceipt *self)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *amount = NULL;
  g_autofree char *card = NULL;
  g_autofree char *time = NULL;
  PdTransaction *t;

  g_return_val_if_fail (PD_IS_RECEIPT (self), NULL);

  if ((t = self->transaction) == NULL)
    return g_strdup ("");

  amount = dup_amount_text (t);
  card = dup_card_text (t);
  time = dup_time_text (t);

  if (self->merchant != NULL)
    g_string_append_printf (text, "%s\n", self->merchant);
  g_string_append_printf (text, "%s\n\n", _("Card Payment Receipt"));
  /* Translators: a line of a printed receipt; %s is the value */
  g_string_append_printf (text, _("Status: %s\n"), pd_status_get_label (pd_transaction_get_status (t)));
  g_string_append_printf (text, _("Amount: %s\n"), amount);
  g_string_append_printf (text, _("Card: %s\n"), card);
  g_string_append_printf (text, _("Reference: %s\n"), pd_transaction_get_reference (t));
  g_string_append_printf (text, _("Order ID: %s\n"), pd_transaction_get_order_id (t));
  g_string_append_printf (text, _("Provider: %s\n"), provider_label (pd_transaction_get_provider (t)));
  g_string_append_printf (text, _("Time: %s\n"), time);
  if (self->note != NULL && self->note[0] != '\0')
    g_string_append_printf (text, "\n%s\n", self->note);
  if (self->sandbox)
    g_string_append_printf (text, "\n%s\n", _("SANDBOX — no real money"));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

gboolean
pd_receipt_export_pdf (PdReceipt   *self,
                       const char  *path,
                       GError     **error)
{
  g_autoptr(GtkPrintOperation) operation = NULL;

  g_return_val_if_fail (PD_IS_RECEIPT (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (self->transaction == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED, _("There is no payment to print"));
      return FALSE;
    }

  operation = new_print_operation (self);
  gtk_print_operation_set_export_filename (operation, path);
  return gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_EXPORT, NULL, error) !=
         GTK_PRINT_OPERATION_RESULT_ERROR;
}
