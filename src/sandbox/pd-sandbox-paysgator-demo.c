#define G_LOG_DOMAIN "pd-sandbox-paysgator"

#include "config.h"

#include "pd-sandbox-paysgator-private.h"

/* Demo data */

static const char * const demo_customers[][2] = {
  { "Ana Machava", "ana.machava@example.co.mz" },
  { "Bruno Cossa", "bruno.cossa@example.co.mz" },
  { "Carla Sitoe", "carla.sitoe@example.co.mz" },
  { "Dercio Nhantumbo", "dercio.nhantumbo@example.co.mz" },
  { "Elsa Mondlane", "elsa.mondlane@example.co.mz" },
  { "Fernando Tembe", "fernando.tembe@example.co.mz" },
  { "Graca Muianga", "graca.muianga@example.co.mz" },
  { "Helio Bila", "helio.bila@example.co.mz" },
};

/* Every status, with a payment that many days ago (0: never paid). */
static const struct
{
  guint     plan;
  SubStatus status;
  guint     paid_days_ago;
} demo_subscriptions[] = {
  { 0, SUB_ACTIVE, 3 },
  { 1, SUB_ACTIVE, 12 },
  { 1, SUB_ACTIVE, 25 },
  { 2, SUB_ACTIVE, 40 },
  { 0, SUB_PAST_DUE, 38 },
  { 1, SUB_PAST_DUE, 50 },
  { 1, SUB_PAUSED, 9 },
  { 2, SUB_PAUSED, 0 },
  { 0, SUB_CANCELED, 45 },
  { 2, SUB_CANCELED, 0 },
};

#define DEMO_PAYMENT_LINKS 30
#define DAY (24 * 60 * 60)

static void
seed_mode (PdSandboxPaysgator *self,
           gboolean            live,
           GRand              *rand,
           gint64              now)
{
  const PdIso4217 *mzn = pd_sandbox_paysgator_wallet_currency ();

  for (guint i = 0; i < DEMO_PAYMENT_LINKS; i++)
    {
      gint64 created = now - g_rand_int_range (rand, 3600, 60 * DAY);
      gint64 amount = (gint64) g_rand_int_range (rand, 50, 25000) * 100
                      + (i % 3 == 0 ? 0 : g_rand_int_range (rand, 0, 100));
      Method method = g_rand_boolean (rand) ? METHOD_MPESA : METHOD_CARD;
      g_autofree char *reference = g_strdup_printf ("%s-%04u", live ? "ORD" : "TST", 1001 + i);
      PaymentLink *link = pd_sandbox_paysgator_payment_link_new (self, live, amount, mzn, ALL_METHODS, i % 4 == 0 ? 0x3 : 0,
                                                                 i % 5 == 0 ? "https://shop.example.co.mz/paid" : NULL,
                                                                 reference, created);
      Transaction *txn = link->transaction;

      /* Six in ten paid, two pending, one failed, one refunded. */
      switch (i % 10)
        {
        case 6:
        case 9:
          break;
        case 7:
          pd_sandbox_paysgator_transaction_settle (self, txn, method, FALSE);
          break;
        case 8:
          pd_sandbox_paysgator_transaction_settle (self, txn, method, TRUE);
          txn->status = TXN_REFUNDED;
          self->balance[live ? 1 : 0] -= txn->amount - txn->fee;
          break;
        default:
          pd_sandbox_paysgator_transaction_settle (self, txn, method, TRUE);
          break;
        }
    }

  for (guint i = 0; i < G_N_ELEMENTS (demo_subscriptions); i++)
    {
      const char * const *customer = demo_customers[(i + (live ? 3 : 0)) % G_N_ELEMENTS (demo_customers)];
      gint64 paid_at = now - (gint64) demo_subscriptions[i].paid_days_ago * DAY - g_rand_int_range (rand, 0, DAY / 2);
      gint64 created = demo_subscriptions[i].paid_days_ago > 0 ? paid_at - 600 : now - 2 * DAY;
      Subscription *sub = pd_sandbox_paysgator_subscription_new (self, live, &plans[demo_subscriptions[i].plan],
                                                                 customer[1], customer[0], created);

      if (demo_subscriptions[i].paid_days_ago > 0)
        pd_sandbox_paysgator_subscription_pay (self, sub, i % 2 == 0 ? METHOD_MPESA : METHOD_CARD, TRUE, paid_at);
      sub->status = demo_subscriptions[i].status;
    }
}

void
pd_sandbox_paysgator_seed_demo (PdSandboxPaysgator *self)
{
  g_autoptr(GRand) rand = NULL;
  gint64 now;

  g_return_if_fail (PD_IS_SANDBOX_PAYSGATOR (self));

  /* A fixed seed: the same demo every time. */
  rand = g_rand_new_with_seed (20250510);
  now = pd_sandbox_paysgator_sandbox_now (self);
  self->demo_ids = g_rand_new_with_seed (4217);
  seed_mode (self, TRUE, rand, now);
  seed_mode (self, FALSE, rand, now);
  g_clear_pointer (&self->demo_ids, g_rand_free);
}
