/* pd-terminal-page-ledger.c: PdTerminalPage's writes to the ledger, one after
 * the other, so a payment's record and its events keep their order */
#define G_LOG_DOMAIN "pd-terminal-page"

#include "config.h"

#include <glib/gi18n.h>

#include "pd-terminal-page-private.h"
#include "pd-window.h"

static void
show_error_in_window (PdTerminalPage *self,
                      const char     *message,
                      const char     *detail)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (PD_IS_WINDOW (root))
    pd_window_show_error (PD_WINDOW (root), message, detail);
  else
    g_debug ("%s: %s", message, detail != NULL ? detail : "");
}

/* The ledger, in order -------------------------------------------------------- */

void
pd_terminal_page_ledger_op_free (LedgerOp *op)
{
  g_clear_object (&op->session);
  g_clear_object (&op->transaction);
  g_free (op->reference);
  g_free (op->note);
  g_free (op);
}

static void ledger_next (PdTerminalPage *self);

static void
ledger_done (PdTerminalPage *self,
             GError         *error)
{
  /* Once is enough: every later write fails the same way. */
  if (error != NULL && !self->ledger_error_shown)
    {
      show_error_in_window (self, _("The payment could not be written to the transaction history"),
                            error->message);
      self->ledger_error_shown = TRUE;
    }
  self->ledger_busy = FALSE;
  ledger_next (self);
}

static void
ledger_recorded_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(PdTerminalPage) self = user_data;
  g_autoptr(PdTransaction) stored = NULL;
  g_autoptr(GError) error = NULL;

  stored = pd_account_session_record_finish (PD_ACCOUNT_SESSION (source), result, &error);
  ledger_done (self, error);
}

static void
ledger_event_added_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(PdTerminalPage) self = user_data;
  g_autoptr(PdLedgerEvent) event = NULL;
  g_autoptr(GError) error = NULL;

  event = pd_ledger_add_event_finish (PD_LEDGER (source), result, &error);
  ledger_done (self, error);
}

static void
ledger_next (PdTerminalPage *self)
{
  LedgerOp *op;

  if (self->ledger_busy || (op = g_queue_pop_head (&self->ledger_ops)) == NULL)
    return;

  self->ledger_busy = TRUE;
  /* Not cancelled with the page: what happened is kept even if it goes away. */
  if (op->transaction != NULL)
    pd_account_session_record_async (op->session, op->transaction, op->note, NULL,
                                     ledger_recorded_cb, g_object_ref (self));
  else if (pd_account_session_get_ledger (op->session) != NULL)
    pd_ledger_add_event_async (pd_account_session_get_ledger (op->session),
                               pd_account_get_id (pd_account_session_get_account (op->session)),
                               op->reference, op->kind, op->note, NULL,
                               ledger_event_added_cb, g_object_ref (self));
  else
    /* No ledger: the record before this one has said so already. */
    self->ledger_busy = FALSE;
  pd_terminal_page_ledger_op_free (op);
  if (!self->ledger_busy)
    ledger_next (self);
}

void
pd_terminal_page_ledger_record (PdTerminalPage *self,
                                PdTransaction  *transaction,
                                const char     *note)
{
  LedgerOp *op = g_new0 (LedgerOp, 1);

  op->session = g_object_ref (self->session);
  op->transaction = pd_transaction_copy (transaction);
  op->note = g_strdup (note);
  g_queue_push_tail (&self->ledger_ops, op);
  ledger_next (self);
}

void
pd_terminal_page_ledger_event (PdTerminalPage    *self,
                               PdLedgerEventKind  kind,
                               const char        *note)
{
  LedgerOp *op = g_new0 (LedgerOp, 1);

  op->session = g_object_ref (self->session);
  op->reference = g_strdup (pd_transaction_get_reference (self->transaction));
  op->kind = kind;
  op->note = g_strdup (note);
  g_queue_push_tail (&self->ledger_ops, op);
  ledger_next (self);
}
