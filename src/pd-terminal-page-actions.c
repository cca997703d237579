/* pd-terminal-page-actions.c: PdTerminalPage's actions, and sending a payment
 * until PesoGate answers */
#define G_LOG_DOMAIN "pd-terminal-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "pd-terminal-page-private.h"

/* Sending ----------------------------------------------------------------------- */

typedef struct
{
  PdTerminalPage *self;
  GError         *error;
  char           *order_id;
} FailedAttempt;

static void
failed_attempt_free (FailedAttempt *attempt)
{
  g_object_unref (attempt->self);
  g_error_free (attempt->error);
  g_free (attempt->order_id);
  g_free (attempt);
}

static void
found_by_order_id_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  FailedAttempt *attempt = user_data;
  g_autoptr(PdTransaction) known = NULL;
  g_autoptr(GError) error = NULL;

  known = pd_ledger_find_by_order_id_finish (PD_LEDGER (source), result, &error);
  if (error != NULL)
    g_debug ("looking the order id up in the ledger failed: %s", error->message);
  if (attempt->self->stack != NULL && attempt->self->state == STATE_FORM && attempt->self->session != NULL)
    pd_terminal_page_show_send_error (attempt->self, attempt->error, attempt->order_id,
                                      known != NULL && pd_transaction_get_reference (known) != NULL ? known : NULL);
  failed_attempt_free (attempt);
}

/* The order id is taken: by a payment the ledger knows, or by the one
 * whose answer was lost. Only the ledger can tell. */
static gboolean
says_order_id_taken (const GError *error)
{
  GHashTable *fields = pd_gateway_error_get_fields (error);

  return fields != NULL && g_hash_table_contains (fields, "order_id");
}

static void
initialized_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(PdTerminalPage) self = user_data;
  g_autoptr(PdPaymentOutcome) outcome = NULL;
  g_autoptr(GError) error = NULL;
  const char *order_id = pd_transaction_get_order_id (self->transaction);

  outcome = pd_pesogate_initialize_finish (PD_PESOGATE (source), result, &error);
  /* Gone (disposed) or moved on to another account. */
  if (self->stack == NULL || self->state != STATE_SENDING)
    return;

  if (outcome == NULL)
    {
      g_autofree char *kept_order_id = g_strdup (order_id);

      g_debug ("the payment was not initialized: %s", error->message);
      g_clear_object (&self->transaction);
      pd_terminal_page_set_state (self, STATE_FORM);

      if (says_order_id_taken (error) && pd_account_session_get_ledger (self->session) != NULL)
        {
          FailedAttempt *attempt = g_new0 (FailedAttempt, 1);

          attempt->self = g_object_ref (self);
          attempt->error = g_steal_pointer (&error);
          attempt->order_id = g_steal_pointer (&kept_order_id);
          pd_ledger_find_by_order_id_async (pd_account_session_get_ledger (self->session),
                                            pd_account_get_id (pd_terminal_page_get_account (self)), attempt->order_id,
                                            self->cancellable, found_by_order_id_cb, attempt);
          return;
        }
      pd_terminal_page_show_send_error (self, error, kept_order_id, NULL);
      return;
    }

  /* It exists now, under a reference: the next payment gets a new order id. */
  pd_terminal_page_lock_order_id (self, NULL);

  pd_transaction_set_reference (self->transaction, pd_payment_outcome_get_transaction_reference (outcome));
  if (pd_payment_outcome_get_kind (outcome) == PD_PAYMENT_OUTCOME_FINAL &&
      pd_payment_outcome_get_status (outcome) != PD_STATUS_UNKNOWN)
    {
      pd_transaction_set_status (self->transaction, pd_payment_outcome_get_status (outcome));
      pd_transaction_set_gateway_status (self->transaction, pd_payment_outcome_get_gateway_status (outcome));
    }
  pd_terminal_page_ledger_record (self, self->transaction, "virtual terminal");

  if (pd_payment_outcome_get_kind (outcome) == PD_PAYMENT_OUTCOME_FINAL)
    {
      g_free (self->result_note);
      self->result_note = pd_redact_card_numbers (pd_payment_outcome_get_message (outcome) != NULL
                                                  ? pd_payment_outcome_get_message (outcome) : "");
      pd_terminal_page_set_state (self, STATE_CHECKING);
      pd_terminal_page_check_status (self);
      return;
    }

  pd_terminal_page_show_challenge (self, outcome);
}

static void
charge (PdTerminalPage *self)
{
  g_autoptr(PdPaymentRequest) request = NULL;

  if (!pd_terminal_page_read_form (self, &request))
    return;

  pd_terminal_page_hide_message (self);
  g_clear_pointer (&self->result_note, g_free);
  self->result_recorded = FALSE;
  self->recheck_seconds = 0;
  g_clear_handle_id (&self->recheck_source, g_source_remove);
  pd_terminal_page_set_state (self, STATE_SENDING);

  pd_pesogate_initialize_async (pd_account_session_get_pesogate (self->session), request,
                                self->cancellable, initialized_cb, g_object_ref (self));
  /* The request holds the only copy now (and wipes it once sent). */
  pd_terminal_page_wipe_card_fields (self);
}

static void
confirm_response_cb (PdTerminalPage   *self,
                     const char       *response,
                     AdwMessageDialog *dialog)
{
  if (g_strcmp0 (response, "charge") != 0 || self->state != STATE_FORM)
    return;
  self->charge_confirmed = TRUE;
  charge (self);
}

static void
charge_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  PdTerminalPage *self = PD_TERMINAL_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *dialog;

  if (self->state != STATE_FORM || self->session == NULL)
    return;

  if (self->locked_order_id == NULL || self->charge_confirmed)
    {
      charge (self);
      return;
    }

  /* The last attempt may have gone through: never charge again unasked. */
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Charge Again?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("The last attempt may have gone through under order ID %s. Charging again "
                                    "sends the same order ID, so PesoGate refuses it if that payment exists."),
                                  self->locked_order_id);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "charge", _("C_harge Again"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "charge", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (confirm_response_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
new_order_id_response_cb (PdTerminalPage   *self,
                          const char       *response,
                          AdwMessageDialog *dialog)
{
  g_autofree char *order_id = NULL;

  if (g_strcmp0 (response, "new") != 0 || self->state != STATE_FORM)
    return;

  pd_terminal_page_lock_order_id (self, NULL);
  order_id = pd_terminal_page_new_order_id ();
  gtk_editable_set_text (GTK_EDITABLE (self->order_id_entry), order_id);
  pd_terminal_page_set_field_error (self, GTK_WIDGET (self->order_id_entry), NULL);
  pd_terminal_page_hide_message (self);
}

static void
new_order_id_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  PdTerminalPage *self = PD_TERMINAL_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *dialog;

  if (self->locked_order_id == NULL)
    return;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Use a New Order ID?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("Only do this after checking PesoGate’s records: if the payment under order "
                                    "ID %s went through, a payment with a new order ID charges the card again."),
                                  self->locked_order_id);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "new", _("_Use a New Order ID"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "new", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (new_order_id_response_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
reset_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  PdTerminalPage *self = PD_TERMINAL_PAGE (widget);

  if (self->state == STATE_FORM)
    pd_terminal_page_reset_form (self);
}

void
pd_terminal_page_new_payment (PdTerminalPage *self)
{
  if (self->state != STATE_RESULT)
    return;

  g_clear_handle_id (&self->recheck_source, g_source_remove);
  g_clear_object (&self->transaction);
  g_clear_pointer (&self->result_note, g_free);
  pd_terminal_page_set_state (self, STATE_FORM);
  pd_terminal_page_reset_form (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->amount_entry));
}

static void
new_payment_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  pd_terminal_page_new_payment (PD_TERMINAL_PAGE (widget));
}

static void
cancel_challenge_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  PdTerminalPage *self = PD_TERMINAL_PAGE (widget);

  if (self->state == STATE_CHALLENGE)
    pd_challenge_view_cancel (self->challenge_view);
}

void
pd_terminal_page_class_actions_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "terminal.charge", NULL, charge_action);
  gtk_widget_class_install_action (widget_class, "terminal.reset", NULL, reset_action);
  gtk_widget_class_install_action (widget_class, "terminal.new-payment", NULL, new_payment_action);
  gtk_widget_class_install_action (widget_class, "terminal.new-order-id", NULL, new_order_id_action);
  gtk_widget_class_install_action (widget_class, "terminal.cancel-challenge", NULL, cancel_challenge_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "terminal.cancel-challenge", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "terminal.charge", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK, "terminal.charge", NULL);
}
