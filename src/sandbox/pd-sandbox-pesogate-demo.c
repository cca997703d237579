#define G_LOG_DOMAIN "pd-sandbox-pesogate"

#include "config.h"

#include "pd-sandbox-pesogate-private.h"

/* Demo data */

typedef struct
{
  const char *name;
  const char *email;
} DemoCustomer;

static const DemoCustomer demo_customers[] = {
  { "Amina Mwangi", "amina.mwangi@example.com" },
  { "João Macuácua", "joao.macuacua@example.com" },
  { "Hiroshi Tanaka", "hiroshi.tanaka@example.jp" },
  { "Claire Dubois", "claire.dubois@example.fr" },
  { "Daniel Otieno", "daniel.otieno@example.co.ke" },
  { "Sofia Langa", "sofia.langa@example.co.mz" },
  { "Michael Brown", "michael.brown@example.com" },
  { "Yuki Sato", "yuki.sato@example.jp" },
};

typedef struct
{
  const char *code;
  gint64      min_major;
  gint64      max_major;
} DemoCurrency;

static const DemoCurrency demo_currencies[] = {
  { "USD", 5, 900 },
  { "EUR", 5, 750 },
  { "KES", 150, 60000 },
  { "MZN", 100, 25000 },
  { "JPY", 500, 90000 },
};

/* The statuses of the demo transactions, oldest pattern first; every status
 * of the spec appears, completed ones most often as in real life. */
static const Status demo_statuses[] = {
  STATUS_COMPLETED, STATUS_COMPLETED, STATUS_REFUNDED, STATUS_FAILED,
  STATUS_COMPLETED, STATUS_CANCELLED, STATUS_COMPLETED, STATUS_REFUNDED,
  STATUS_AUTHORIZED, STATUS_COMPLETED, STATUS_FAILED, STATUS_COMPLETED,
};

#define DEMO_COUNT 36

void
pd_sandbox_pesogate_seed_demo (PdSandboxPesogate *self)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20250510);
  gint64 start = pd_sandbox_pesogate_now (self);

  self->demo_ids = g_rand_new_with_seed (4217);

  g_return_if_fail (PD_IS_SANDBOX_PESOGATE (self));

  for (guint i = 0; i < DEMO_COUNT; i++)
    {
      const DemoCurrency *dc = &demo_currencies[i % G_N_ELEMENTS (demo_currencies)];
      const DemoCustomer *customer = &demo_customers[g_rand_int_range (rand, 0, G_N_ELEMENTS (demo_customers))];
      const char *provider = providers[i % N_PROVIDERS];
      g_autofree char *order_id = g_strdup_printf ("DEMO-PG-%04u", 1001 + i);
      const TestCard *card = NULL;
      gint64 created_at;
      gint64 scale;
      Status status;
      Transaction *t;
      guint n_cards = 0;
      const TestCard *candidates[G_N_ELEMENTS (test_cards)];

      /* The newest few are still in flight: 3-D Secure or the provider's answer. */
      if (i == DEMO_COUNT - 1)
        status = STATUS_INITIALIZED;
      else if (i >= DEMO_COUNT - 3)
        status = STATUS_PENDING;
      else
        status = demo_statuses[i % G_N_ELEMENTS (demo_statuses)];

      if (status == STATUS_INITIALIZED || status == STATUS_PENDING)
        created_at = start - 60 * (gint64) (DEMO_COUNT - i) - g_rand_int_range (rand, 0, 60);
      else
        created_at = start - (gint64) (60 - i * 59 / DEMO_COUNT) * 86400 + g_rand_int_range (rand, 0, 86400 / 2);

      for (guint c = 0; c < G_N_ELEMENTS (test_cards); c++)
        if (g_str_equal (test_cards[c].provider, provider) &&
            test_cards[c].succeeds == (status != STATUS_FAILED || i % 2 == 0))
          candidates[n_cards++] = &test_cards[c];
      card = candidates[g_rand_int_range (rand, 0, n_cards)];

      t = pd_sandbox_pesogate_transaction_add (self, order_id, created_at);
      t->currency = pd_iso4217_lookup (dc->code);
      scale = pd_sandbox_pesogate_power_of_ten (t->currency->exponent);
      t->amount = g_rand_int_range (rand, dc->min_major, dc->max_major) * scale;
      /* Prices end in .00, .50 or .99 as shop prices do. */
      if (scale > 1)
        t->amount += (gint64) (i % 3 == 0 ? 0 : i % 3 == 1 ? 50 : 99) * scale / 100;
      t->provider = g_strdup (provider);
      t->card_type = card->brand;
      pd_sandbox_pesogate_transaction_set_card (t, card->number);
      t->card_succeeds = card->succeeds;
      t->customer_email = g_strdup (customer->email);
      t->customer_name = g_strdup (customer->name);
      t->status = status;

      if (status == STATUS_COMPLETED || status == STATUS_REFUNDED)
        t->completed_at = created_at + g_rand_int_range (rand, 40, 300);
      if (status == STATUS_REFUNDED)
        {
          /* Half of the refunds are partial, so some can still be refunded. */
          if (i % 2 == 0)
            t->refunded = t->amount;
          else
            t->refunded = MAX (t->amount / 4 / scale * scale, 1);
        }
    }

  g_clear_pointer (&self->demo_ids, g_rand_free);
}

static int
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  const Transaction *ta = *(const Transaction * const *) a;
  const Transaction *tb = *(const Transaction * const *) b;

  if (ta->created_at != tb->created_at)
    return ta->created_at < tb->created_at ? 1 : -1;
  return ta->seq < tb->seq ? 1 : -1;
}

GStrv
pd_sandbox_pesogate_dup_references (PdSandboxPesogate *self)
{
  g_autoptr(GPtrArray) sorted = NULL;
  GStrvBuilder *builder;
  GStrv references;

  g_return_val_if_fail (PD_IS_SANDBOX_PESOGATE (self), NULL);

  sorted = g_ptr_array_sized_new (self->transactions->len);
  for (guint i = 0; i < self->transactions->len; i++)
    g_ptr_array_add (sorted, g_ptr_array_index (self->transactions, i));
  g_ptr_array_sort (sorted, compare_newest_first);

  builder = g_strv_builder_new ();
  for (guint i = 0; i < sorted->len; i++)
    g_strv_builder_add (builder, ((Transaction *) g_ptr_array_index (sorted, i))->reference);
  references = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return references;
}
