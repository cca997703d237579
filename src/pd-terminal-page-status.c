/* pd-terminal-page-status.c: PdTerminalPage asks PesoGate how a payment ended,
 * shows the receipt, and asks again while the payment is pending */
#define G_LOG_DOMAIN "pd-terminal-page"

#include "config.h"

#include <glib/gi18n.h>

#include "pd-terminal-page-private.h"

/* First background re-check of a pending payment, and the longest gap. */
#define RECHECK_FIRST_SECONDS 2
#define RECHECK_MAX_SECONDS   60

/* The result ------------------------------------------------------------------- */

static void
show_receipt (PdTerminalPage *self)
{
  PdAccount *account = pd_terminal_page_get_account (self);
  g_autoptr(GString) note = g_string_new (self->result_note);
  PdStatus status = pd_transaction_get_status (self->transaction);

  if (!pd_status_is_final (status))
    {
      if (note->len > 0)
        g_string_append_c (note, ' ');
      g_string_append (note, _("Paydesk asks PesoGate again in the background; this receipt updates itself."));
    }
  else if (note->len == 0 && status == PD_STATUS_FAILED)
    g_string_append (note, _("The bank declined the payment or the 3-D Secure check failed: no money was taken."));
  else if (note->len == 0 && status == PD_STATUS_CANCELLED)
    g_string_append (note, _("The payment was cancelled: no money was taken."));

  pd_receipt_set_merchant (self->receipt, pd_account_get_display_name (account));
  pd_receipt_set_sandbox (self->receipt, pd_account_get_sandbox (account));
  pd_receipt_set_note (self->receipt, note->len > 0 ? note->str : NULL);
  pd_receipt_set_transaction (self->receipt, self->transaction);
  pd_terminal_page_set_state (self, STATE_RESULT);
}

/* @fresh is what the status call gave: its status and amount are the truth;
 * what it does not say is kept from what Paydesk sent. */
static gboolean
merge_status (PdTerminalPage *self,
              PdTransaction  *fresh)
{
  PdTransaction *t = self->transaction;
  gboolean changed = pd_transaction_get_status (t) != pd_transaction_get_status (fresh) ||
                     g_strcmp0 (pd_transaction_get_gateway_status (t), pd_transaction_get_gateway_status (fresh)) != 0;

  pd_transaction_set_status (t, pd_transaction_get_status (fresh));
  pd_transaction_set_gateway_status (t, pd_transaction_get_gateway_status (fresh));
  pd_transaction_set_amount (t, pd_transaction_get_amount (fresh));
  pd_transaction_set_currency (t, pd_transaction_get_currency (fresh));
  if (pd_transaction_get_completed_at (fresh) > 0)
    pd_transaction_set_completed_at (t, pd_transaction_get_completed_at (fresh));
  if (pd_transaction_get_card_last_four (fresh) != NULL)
    pd_transaction_set_card_last_four (t, pd_transaction_get_card_last_four (fresh));
  if (pd_transaction_get_card_brand (fresh) != NULL &&
      !g_str_equal (pd_transaction_get_card_brand (fresh), "unknown"))
    pd_transaction_set_card_brand (t, pd_transaction_get_card_brand (fresh));
  return changed;
}

static gboolean
recheck_cb (gpointer user_data)
{
  PdTerminalPage *self = user_data;

  self->recheck_source = 0;
  self->rechecking = TRUE;
  pd_terminal_page_check_status (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_recheck (PdTerminalPage *self)
{
  g_clear_handle_id (&self->recheck_source, g_source_remove);
  self->recheck_seconds = self->recheck_seconds == 0 ? RECHECK_FIRST_SECONDS
                                                     : MIN (self->recheck_seconds * 2, RECHECK_MAX_SECONDS);
  self->recheck_source = g_timeout_add_seconds (self->recheck_seconds, recheck_cb, self);
}

static void
status_checked_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(PdTerminalPage) self = user_data;
  g_autoptr(PdTransaction) fresh = NULL;
  g_autoptr(GError) error = NULL;
  gboolean background = self->rechecking;

  fresh = pd_pesogate_status_finish (PD_PESOGATE (source), result, &error);
  self->rechecking = FALSE;
  if (self->stack == NULL ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_error_matches (error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_CANCELLED) ||
      self->transaction == NULL || (self->state != STATE_CHECKING && self->state != STATE_RESULT))
    return;

  if (fresh == NULL)
    {
      /* Translators: %s says why, e.g. "The payment gateway took too long to answer." */
      g_autofree char *note = g_strdup_printf (_("Paydesk could not check how the payment ended: %s"),
                                               error->message);

      if (!background)
        {
          g_free (self->result_note);
          self->result_note = g_steal_pointer (&note);
          show_receipt (self);
        }
      schedule_recheck (self);
      return;
    }

  if (merge_status (self, fresh) || !self->result_recorded)
    /* Sources are keys the transaction details translate when shown. */
    pd_terminal_page_ledger_record (self, self->transaction, "status check");

  if (!self->result_recorded)
    {
      /* Translators: a ledger note; %s is a status, e.g. "Completed" */
      g_autofree char *note = g_strdup_printf (_("Shown to the merchant as %s"),
                                               pd_status_get_label (pd_transaction_get_status (self->transaction)));

      pd_terminal_page_ledger_event (self, PD_LEDGER_EVENT_RESULT, note);
      self->result_recorded = TRUE;
    }
  else if (pd_status_is_final (pd_transaction_get_status (self->transaction)))
    g_clear_pointer (&self->result_note, g_free);

  show_receipt (self);
  if (!pd_status_is_final (pd_transaction_get_status (self->transaction)))
    schedule_recheck (self);
}

void
pd_terminal_page_check_status (PdTerminalPage *self)
{
  PdPesogate *pesogate = pd_account_session_get_pesogate (self->session);

  /* A refresh nobody waits for yields to what the merchant does. */
  pd_pesogate_status_async (pesogate, pd_transaction_get_reference (self->transaction),
                            self->rechecking ? PD_HTTP_FLAGS_BACKGROUND : PD_HTTP_FLAGS_NONE,
                            self->cancellable, status_checked_cb, g_object_ref (self));
}
