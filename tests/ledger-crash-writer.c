/* ledger-crash-writer: writes transactions into a ledger until it is killed.
 *
 * Usage: ledger-crash-writer LEDGER-PATH
 *
 * Each round records one to three new transactions and moves an older one to
 * "completed" (a status event) in one database transaction, through the
 * ledger's async API. Only when the round's callback has run, that is after
 * its COMMIT returned, is each new row printed to stdout as
 * "LEDGER-ID REFERENCE". test-ledger kills this with SIGKILL at random
 * moments and then checks that every printed row is in the file.
 */
#define G_LOG_DOMAIN "ledger-crash-writer"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "pd-ledger.h"

typedef struct
{
  PdLedger  *ledger;
  GPtrArray *written;   /* references of this run, for status updates */
  guint      round;
} Writer;

static void write_round (Writer *writer);

static void
on_written (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Writer *writer = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) stored = pd_ledger_upsert_transactions_finish (writer->ledger, result, &error);

  if (stored == NULL)
    {
      g_printerr ("ledger-crash-writer: %s\n", error->message);
      exit (EXIT_FAILURE);
    }
  for (guint i = 0; i < stored->len; i++)
    {
      PdTransaction *transaction = stored->pdata[i];

      if (pd_transaction_get_status (transaction) != PD_STATUS_PENDING)
        continue;
      printf ("%" G_GINT64_FORMAT " %s\n", pd_transaction_get_ledger_id (transaction),
              pd_transaction_get_reference (transaction));
      g_ptr_array_add (writer->written, g_strdup (pd_transaction_get_reference (transaction)));
    }
  fflush (stdout);

  write_round (writer);
}

static PdTransaction *
new_transaction (Writer     *writer,
                 const char *reference,
                 PdStatus    status)
{
  PdTransaction *transaction = pd_transaction_new ();
  g_autofree char *order_id = g_strdup_printf ("CRASH-%u-%u", (guint) getpid (), writer->round);
  g_autofree char *last_four = g_strdup_printf ("%04u", writer->round % 10000);

  g_object_set (transaction,
                "account-id", "crash-account",
                "reference", reference,
                "order-id", order_id,
                "amount", (gint64) (1000 + writer->round),
                "currency", "USD",
                "status", status,
                "gateway-status", pd_status_to_key (status),
                "provider", "cybersource",
                "card-brand", "visa",
                "card-last-four", last_four,
                "customer-name", "Crash Test",
                "customer-email", "crash@example.com",
                NULL);

  return transaction;
}

static void
write_round (Writer *writer)
{
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
  guint n_new = 1 + writer->round % 3;

  for (guint i = 0; i < n_new; i++)
    {
      g_autofree char *reference = g_strdup_printf ("crash-%u-%u-%u", (guint) getpid (), writer->round, i);

      g_ptr_array_add (batch, new_transaction (writer, reference, PD_STATUS_PENDING));
    }
  if (writer->written->len > 0)
    {
      const char *older = writer->written->pdata[writer->round % writer->written->len];

      g_ptr_array_add (batch, new_transaction (writer, older, PD_STATUS_COMPLETED));
    }
  writer->round++;

  pd_ledger_upsert_transactions_async (writer->ledger, batch, "crash test", NULL, on_written, writer);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  Writer writer = { 0 };

  if (argc != 2)
    {
      g_printerr ("usage: %s LEDGER-PATH\n", argv[0]);
      return EXIT_FAILURE;
    }

  writer.ledger = pd_ledger_new_sync (argv[1], NULL, &error);
  if (writer.ledger == NULL)
    {
      g_printerr ("ledger-crash-writer: %s\n", error->message);
      return EXIT_FAILURE;
    }
  writer.written = g_ptr_array_new_with_free_func (g_free);

  loop = g_main_loop_new (NULL, FALSE);
  write_round (&writer);
  g_main_loop_run (loop);

  return EXIT_SUCCESS;
}
