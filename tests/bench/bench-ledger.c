/* bench-ledger: the ledger at a million transactions.
 *
 * Usage: bench-ledger [--rows N] [--runs N] [--dir DIR]
 *
 * Builds a ledger of N (1,000,000) realistic transactions in a temporary
 * directory (or reuses DIR/ledger.db when it is already there), then times
 * opening it, the first page of each filter and of text searches, and prints
 * one JSON object on stdout; progress goes to stderr. Every call goes
 * through the ledger's worker thread, as the app's would.
 */
#define G_LOG_DOMAIN "bench-ledger"

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "pd-ledger.h"

#define PAGE_SIZE   50
#define BATCH_SIZE  5000
#define N_SAMPLES   2000
#define TWO_YEARS   (2 * 365 * 24 * 3600)

typedef struct
{
  const char *id;
  PdGateway   gateway;
  int         share;            /* percent of the rows */
  const char *currencies[3];
  const char *providers[3];
} Account;

static const Account accounts[] = {
  { "pesogate-main", PD_GATEWAY_PESOGATE, 40, { "USD", "KES", "EUR" }, { "cybersource", "mpgs", NULL } },
  { "pesogate-shop", PD_GATEWAY_PESOGATE, 30, { "KES", "USD", NULL }, { "mpgs", "cybersource", NULL } },
  { "paysgator-wallet", PD_GATEWAY_PAYSGATOR, 20, { "MZN", "USD", NULL }, { "MPESA", "EMOLA", "CARD" } },
  { "paysgator-test", PD_GATEWAY_PAYSGATOR, 10, { "MZN", NULL, NULL }, { "MPESA", "CARD", NULL } },
};

static const char *first_names[] = {
  "James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "William", "Elizabeth",
  "David", "Barbara", "Amina", "Juma", "Wanjiru", "Otieno", "Achieng", "Kamau", "Mwangi", "Fatima",
  "Nuno", "João", "Maria", "Ana", "Carlos", "Sofia", "Luís", "Tiago", "Inês", "Rui", "Paula", "Baraka",
  "Neema", "Zawadi", "Grace", "Peter", "Esther", "Daniel", "Faith", "Samuel", "Mercy", "Joseph",
  "Lucia", "Armando", "Celeste", "Hélder", "Isabel", "Abdul", "Halima", "Omar",
};

static const char *last_names[] = {
  "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
  "Wilson", "Anderson", "Taylor", "Thomas", "Moore", "Jackson", "Martin", "Lee", "Thompson", "White",
  "Mutua", "Kiprop", "Njoroge", "Ochieng", "Wambui", "Kariuki", "Odhiambo", "Chebet", "Kimani", "Njeri",
  "Macuácua", "Cossa", "Sitoe", "Langa", "Nhantumbo", "Tembe", "Mondlane", "Chissano", "Guebuza", "Matsinhe",
  "Silva", "Santos", "Ferreira", "Pereira", "Costa", "Oliveira", "Almeida", "Ribeiro", "Carvalho", "Gomes",
  "Hassan", "Ali", "Mohamed", "Abdi", "Omondi", "Wafula", "Barasa", "Mwakilema", "Banda", "Phiri",
};

static const char *domains[] = {
  "gmail.com", "gmail.com", "gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com",
  "safaricom.co.ke", "mail.co.mz", "tvcabo.co.mz", "company.co.ke", "proton.me",
};

/* What a sampled row offers the search queries. */
typedef struct
{
  char *account_id;
  char *reference;
  char *order_id;
  char *name;
  char *email;
  char *last_four;
} Sample;

static void
sample_clear (Sample *sample)
{
  g_free (sample->account_id);
  g_free (sample->reference);
  g_free (sample->order_id);
  g_free (sample->name);
  g_free (sample->email);
  g_free (sample->last_four);
}

static char *
ascii_lower (const char *text)
{
  g_autofree char *plain = g_str_to_ascii (text, "C");

  return g_ascii_strdown (plain, -1);
}

static const Account *
pick_account (GRand *rand)
{
  int roll = g_rand_int_range (rand, 0, 100);

  for (guint i = 0; i < G_N_ELEMENTS (accounts); i++)
    {
      if (roll < accounts[i].share)
        return &accounts[i];
      roll -= accounts[i].share;
    }
  return &accounts[0];
}

static const char *
pick (GRand        *rand,
      const char  **choices,
      guint         n_choices)
{
  guint n = 0;

  while (n < n_choices && choices[n] != NULL)
    n++;
  return choices[g_rand_int_range (rand, 0, n)];
}

static PdStatus
pick_status (GRand     *rand,
             PdGateway  gateway)
{
  int roll = g_rand_int_range (rand, 0, 100);

  if (gateway == PD_GATEWAY_PAYSGATOR)
    return roll < 80 ? PD_STATUS_COMPLETED : roll < 88 ? PD_STATUS_PENDING
           : roll < 96 ? PD_STATUS_FAILED : PD_STATUS_REFUNDED;
  return roll < 72 ? PD_STATUS_COMPLETED : roll < 81 ? PD_STATUS_FAILED : roll < 84 ? PD_STATUS_PENDING
         : roll < 87 ? PD_STATUS_INITIALIZED : roll < 89 ? PD_STATUS_AUTHORIZED
         : roll < 94 ? PD_STATUS_REFUNDED : PD_STATUS_CANCELLED;
}

static const char *
gateway_status (PdGateway gateway,
                PdStatus  status)
{
  if (gateway == PD_GATEWAY_PESOGATE)
    return pd_status_to_key (status);
  switch (status)
    {
    case PD_STATUS_COMPLETED:
      return "SUCCESS";
    case PD_STATUS_FAILED:
      return "FAILED";
    case PD_STATUS_REFUNDED:
      return "REFUNDED";
    case PD_STATUS_UNKNOWN:
    case PD_STATUS_INITIALIZED:
    case PD_STATUS_PENDING:
    case PD_STATUS_AUTHORIZED:
    case PD_STATUS_CANCELLED:
    default:
      return "PENDING";
    }
}

static PdTransaction *
make_transaction (GRand  *rand,
                  guint   i,
                  guint   n_rows,
                  gint64  start,
                  Sample *sample)
{
  const Account *account = pick_account (rand);
  PdTransaction *transaction = pd_transaction_new ();
  const char *first = first_names[g_rand_int_range (rand, 0, G_N_ELEMENTS (first_names))];
  const char *last = last_names[g_rand_int_range (rand, 0, G_N_ELEMENTS (last_names))];
  g_autofree char *first_ascii = ascii_lower (first);
  g_autofree char *last_ascii = ascii_lower (last);
  g_autofree char *name = g_strdup_printf ("%s %s", first, last);
  const char *domain = domains[g_rand_int_range (rand, 0, G_N_ELEMENTS (domains))];
  g_autofree char *email = NULL;
  g_autofree char *reference = g_strdup_printf ("%08x-%04x-4%03x-%04x-%08x%04x",
                                                g_rand_int (rand), g_rand_int (rand) & 0xffff,
                                                g_rand_int (rand) & 0xfff,
                                                0x8000 | (g_rand_int (rand) & 0x3fff),
                                                g_rand_int (rand), g_rand_int (rand) & 0xffff);
  g_autofree char *order_id = NULL;
  g_autofree char *last_four = NULL;
  g_autofree char *phone = g_strdup_printf (account->gateway == PD_GATEWAY_PESOGATE ? "+2547%08u" : "+2588%07u",
                                            g_rand_int_range (rand, 0, 10000000));
  const char *provider = pick (rand, (const char **) account->providers, G_N_ELEMENTS (account->providers));
  gboolean card = account->gateway == PD_GATEWAY_PESOGATE || g_str_equal (provider, "CARD");
  PdStatus status = pick_status (rand, account->gateway);
  /* Amounts from 1.00 to 5,000.00, most of them small. */
  gint64 amount = (gint64) exp (g_rand_double_range (rand, log (100), log (500000)));
  /* Recorded as they happen, but one in twenty looked up later. */
  gint64 created_at = start + (gint64) i * TWO_YEARS / n_rows + g_rand_int_range (rand, 0, 120);

  if (g_rand_int_range (rand, 0, 20) == 0)
    created_at = start + g_rand_int_range (rand, 0, (int) (((gint64) i * TWO_YEARS / n_rows) / 60) + 1) * 60;

  switch (g_rand_int_range (rand, 0, 3))
    {
    case 0:
      email = g_strdup_printf ("%s.%s%d@%s", first_ascii, last_ascii, g_rand_int_range (rand, 1, 100), domain);
      break;
    case 1:
      email = g_strdup_printf ("%c.%s@%s", first_ascii[0], last_ascii, domain);
      break;
    default:
      email = g_strdup_printf ("%s%s%d@%s", first_ascii, last_ascii, g_rand_int_range (rand, 1, 1000), domain);
      break;
    }
  if (account->gateway == PD_GATEWAY_PESOGATE)
    order_id = g_rand_boolean (rand) ? g_strdup_printf ("ORD-%08u", g_rand_int_range (rand, 0, 100000000))
                                     : g_strdup_printf ("INV-%u-%05u", 2023 + g_rand_int_range (rand, 0, 3),
                                                        g_rand_int_range (rand, 0, 100000));
  else if (g_rand_int_range (rand, 0, 3) != 0)
    order_id = g_strdup_printf ("EXT-%08x", g_rand_int (rand));
  if (card)
    last_four = g_strdup_printf ("%04u", g_rand_int_range (rand, 0, 10000));

  g_object_set (transaction,
                "account-id", account->id,
                "gateway", account->gateway,
                "reference", reference,
                "order-id", order_id,
                "amount", amount,
                "currency", pick (rand, (const char **) account->currencies, G_N_ELEMENTS (account->currencies)),
                "status", status,
                "gateway-status", gateway_status (account->gateway, status),
                "provider", provider,
                "payment-method", card ? "card" : provider,
                "card-brand", card ? (g_rand_boolean (rand) ? "visa" : "mastercard") : NULL,
                "card-last-four", last_four,
                "customer-name", name,
                "customer-email", email,
                "customer-phone", phone,
                "metadata", g_rand_int_range (rand, 0, 4) == 0 ? "{\"channel\":\"phone\"}" : NULL,
                "mode", g_str_has_suffix (account->id, "-test") ? PD_MODE_TEST : PD_MODE_LIVE,
                "created-at", created_at,
                "completed-at", status == PD_STATUS_COMPLETED ? created_at + g_rand_int_range (rand, 5, 300) : 0,
                NULL);

  if (sample != NULL)
    {
      sample->account_id = g_strdup (account->id);
      sample->reference = g_steal_pointer (&reference);
      sample->order_id = g_steal_pointer (&order_id);
      sample->name = g_steal_pointer (&name);
      sample->email = g_steal_pointer (&email);
      sample->last_four = g_steal_pointer (&last_four);
    }

  return transaction;
}

static double
elapsed_ms (gint64 since)
{
  return (g_get_monotonic_time () - since) / 1000.0;
}

static PdLedger *
open_or_die (const char *path)
{
  g_autoptr(GError) error = NULL;
  PdLedger *ledger = pd_ledger_new_sync (path, NULL, &error);

  if (ledger == NULL)
    g_error ("cannot open %s: %s", path, error->message);

  return ledger;
}

static void
close_or_die (PdLedger *ledger)
{
  g_autoptr(GError) error = NULL;

  if (!pd_ledger_close_sync (ledger, NULL, &error))
    g_error ("cannot close: %s", error->message);
  g_object_unref (ledger);
}

static double
build (const char *path,
       guint       n_rows,
       GArray     *samples)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (1234);
  PdLedger *ledger = open_or_die (path);
  gint64 start = 1735689600 - TWO_YEARS;
  gint64 began = g_get_monotonic_time ();
  guint sample_every = MAX (n_rows / N_SAMPLES, 1);

  for (guint done = 0; done < n_rows; done += BATCH_SIZE)
    {
      g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
      g_autoptr(GPtrArray) stored = NULL;
      g_autoptr(GError) error = NULL;

      for (guint i = done; i < MIN (done + BATCH_SIZE, n_rows); i++)
        {
          Sample sample = { 0 };
          gboolean keep = i % sample_every == 0 && samples->len < N_SAMPLES;

          g_ptr_array_add (batch, make_transaction (rand, i, n_rows, start, keep ? &sample : NULL));
          if (keep)
            g_array_append_val (samples, sample);
        }
      stored = pd_ledger_upsert_transactions_sync (ledger, batch, "bench", NULL, &error);
      if (stored == NULL)
        g_error ("build failed: %s", error->message);
      if ((done / BATCH_SIZE) % 20 == 0)
        g_printerr ("\rbuilding: %u / %u rows", done + batch->len, n_rows);
    }
  g_printerr ("\n");
  close_or_die (ledger);

  return elapsed_ms (began) / 1000.0;
}

/* Samples from the file itself when it was built by an earlier run. */
static void
load_samples (PdLedger *ledger,
              GArray   *samples)
{
  for (guint a = 0; a < G_N_ELEMENTS (accounts); a++)
    {
      g_autoptr(PdLedgerFilter) filter = pd_ledger_filter_new (accounts[a].id);
      g_autoptr(GError) error = NULL;
      g_autoptr(GListModel) rows = NULL;

      pd_ledger_filter_set_sort (filter, PD_LEDGER_SORT_REFERENCE, FALSE);
      rows = pd_ledger_query_sync (ledger, filter, 0, N_SAMPLES * accounts[a].share / 100, NULL, &error);
      if (rows == NULL)
        g_error ("cannot sample: %s", error->message);
      for (guint i = 0; i < g_list_model_get_n_items (rows); i++)
        {
          g_autoptr(PdTransaction) t = g_list_model_get_item (rows, i);
          Sample sample = {
            g_strdup (pd_transaction_get_account_id (t)), g_strdup (pd_transaction_get_reference (t)),
            g_strdup (pd_transaction_get_order_id (t)), g_strdup (pd_transaction_get_customer_name (t)),
            g_strdup (pd_transaction_get_customer_email (t)), g_strdup (pd_transaction_get_card_last_four (t)),
          };

          g_array_append_val (samples, sample);
        }
    }
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double da = *(const double *) a;
  double db = *(const double *) b;

  return (da > db) - (da < db);
}

static double
percentile (GArray *times,
            double  p)
{
  g_array_sort (times, compare_doubles);
  return g_array_index (times, double, MIN (times->len - 1, (guint) ceil (p * times->len) - 1));
}

typedef PdLedgerFilter *(*MakeFilter) (GRand *rand, GArray *samples);

static const Account *
random_account (GRand *rand)
{
  return pick_account (rand);
}

static PdLedgerFilter *
filter_none (GRand  *rand,
             GArray *samples)
{
  return pd_ledger_filter_new (random_account (rand)->id);
}

static PdLedgerFilter *
filter_status (GRand  *rand,
               GArray *samples)
{
  static const PdStatus sets[][3] = {
    { PD_STATUS_FAILED, PD_STATUS_UNKNOWN, PD_STATUS_UNKNOWN },
    { PD_STATUS_PENDING, PD_STATUS_INITIALIZED, PD_STATUS_AUTHORIZED },
    { PD_STATUS_REFUNDED, PD_STATUS_UNKNOWN, PD_STATUS_UNKNOWN },
    { PD_STATUS_CANCELLED, PD_STATUS_FAILED, PD_STATUS_UNKNOWN },
    { PD_STATUS_COMPLETED, PD_STATUS_UNKNOWN, PD_STATUS_UNKNOWN },
    { PD_STATUS_COMPLETED, PD_STATUS_REFUNDED, PD_STATUS_UNKNOWN },
  };
  PdLedgerFilter *filter = pd_ledger_filter_new (random_account (rand)->id);
  guint set = g_rand_int_range (rand, 0, G_N_ELEMENTS (sets));

  for (guint i = 0; i < 3; i++)
    if (sets[set][i] != PD_STATUS_UNKNOWN || i == 0)
      pd_ledger_filter_add_status (filter, sets[set][i]);

  return filter;
}

static PdLedgerFilter *
filter_date_range (GRand  *rand,
                   GArray *samples)
{
  static const gint64 days[] = { 1, 7, 30, 90 };
  PdLedgerFilter *filter = pd_ledger_filter_new (random_account (rand)->id);
  gint64 length = days[g_rand_int_range (rand, 0, G_N_ELEMENTS (days))] * 86400;
  gint64 since = 1735689600 - TWO_YEARS + g_rand_int_range (rand, 0, (int) (TWO_YEARS - length));

  pd_ledger_filter_set_created_range (filter, since, since + length);

  return filter;
}

static PdLedgerFilter *
filter_amount_range (GRand  *rand,
                     GArray *samples)
{
  PdLedgerFilter *filter = pd_ledger_filter_new (random_account (rand)->id);
  gint64 min = (gint64) exp (g_rand_double_range (rand, log (100), log (500000)));
  double width = exp (g_rand_double_range (rand, log (1.02), log (50)));

  pd_ledger_filter_set_amount_range (filter, min, (gint64) (min * width));

  return filter;
}

static PdLedgerFilter *
filter_currency (GRand  *rand,
                 GArray *samples)
{
  static const char *currencies[] = { "USD", "KES", "EUR", "MZN" };
  PdLedgerFilter *filter = pd_ledger_filter_new (random_account (rand)->id);

  pd_ledger_filter_set_currency (filter, currencies[g_rand_int_range (rand, 0, G_N_ELEMENTS (currencies))]);

  return filter;
}

static PdLedgerFilter *
filter_provider (GRand  *rand,
                 GArray *samples)
{
  const Account *account = random_account (rand);
  PdLedgerFilter *filter = pd_ledger_filter_new (account->id);

  pd_ledger_filter_set_provider (filter, pick (rand, (const char **) account->providers,
                                               G_N_ELEMENTS (account->providers)));

  return filter;
}

static PdLedgerFilter *
filter_combined (GRand  *rand,
                 GArray *samples)
{
  PdLedgerFilter *filter = filter_status (rand, samples);
  g_autoptr(PdLedgerFilter) dates = filter_date_range (rand, samples);

  pd_ledger_filter_set_created_range (filter, pd_ledger_filter_get_created_since (dates) - 60 * 86400,
                                      pd_ledger_filter_get_created_until (dates));
  pd_ledger_filter_set_currency (filter, g_rand_boolean (rand) ? "USD" : "KES");

  return filter;
}

/* What people type: a last four, part of an e-mail, a name, an order id, a reference, or a typo. */
static PdLedgerFilter *
filter_search (GRand  *rand,
               GArray *samples)
{
  const Sample *sample = &g_array_index (samples, Sample, g_rand_int_range (rand, 0, samples->len));
  PdLedgerFilter *filter = pd_ledger_filter_new (sample->account_id);
  g_autofree char *text = NULL;
  const char *at;

  switch (g_rand_int_range (rand, 0, 9))
    {
    case 0:
      text = g_strdup (sample->last_four != NULL ? sample->last_four : "4242");
      break;
    case 1:
      at = strchr (sample->email, '@');
      text = g_strndup (sample->email, MIN ((gsize) (at - sample->email), 3 + (gsize) g_rand_int_range (rand, 0, 6)));
      break;
    case 2:
      text = g_strdup (sample->email);
      break;
    case 3:
      text = g_strdup (strchr (sample->name, ' ') + 1);
      break;
    case 4:
      text = g_ascii_strdown (sample->name, -1);
      break;
    case 5:
      text = sample->order_id != NULL ? g_strdup (sample->order_id + strlen (sample->order_id) - 6)
                                      : g_strdup ("ORD-0012");
      break;
    case 6:
      text = g_strndup (sample->reference, 8);
      break;
    case 7:
      at = strchr (sample->email, '@');
      text = g_strdup (at + 1);
      break;
    default:
      text = g_strdup ("xqzvw");
      break;
    }
  pd_ledger_filter_set_text (filter, text);

  return filter;
}

static PdLedgerFilter *
filter_search_short (GRand  *rand,
                     GArray *samples)
{
  const Sample *sample = &g_array_index (samples, Sample, g_rand_int_range (rand, 0, samples->len));
  PdLedgerFilter *filter = pd_ledger_filter_new (sample->account_id);
  g_autofree char *text = g_strndup (sample->email, 1 + g_rand_int_range (rand, 0, 2));

  pd_ledger_filter_set_text (filter, text);

  return filter;
}

typedef struct
{
  const char *name;
  MakeFilter  make;
  gboolean    is_filter;    /* counts toward filter_p95_ms */
  gboolean    counted;      /* also time the count */
} Case;

static const Case cases[] = {
  { "none", filter_none, TRUE, TRUE },
  { "status", filter_status, TRUE, TRUE },
  { "date_range", filter_date_range, TRUE, TRUE },
  { "amount_range", filter_amount_range, TRUE, TRUE },
  { "currency", filter_currency, TRUE, TRUE },
  { "provider", filter_provider, TRUE, TRUE },
  { "combined", filter_combined, TRUE, TRUE },
  { "search", filter_search, FALSE, TRUE },
  { "search_short", filter_search_short, FALSE, FALSE },
};

static void
measure (PdLedger   *ledger,
         const Case *c,
         GArray     *samples,
         guint       runs,
         GString    *json,
         double     *p50,
         double     *p95)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (g_str_hash (c->name));
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) count_times = g_array_new (FALSE, FALSE, sizeof (double));
  guint64 rows = 0;

  for (guint run = 0; run < runs; run++)
    {
      g_autoptr(PdLedgerFilter) filter = c->make (rand, samples);
      g_autoptr(GListModel) page = NULL;
      g_autoptr(GError) error = NULL;
      gint64 began = g_get_monotonic_time ();
      double ms;

      page = pd_ledger_query_sync (ledger, filter, 0, PAGE_SIZE, NULL, &error);
      ms = elapsed_ms (began);
      if (page == NULL)
        g_error ("%s: %s", c->name, error->message);
      g_array_append_val (times, ms);
      rows += g_list_model_get_n_items (page);

      if (c->counted && run % 4 == 0)
        {
          began = g_get_monotonic_time ();
          if (pd_ledger_count_sync (ledger, filter, NULL, &error) < 0)
            g_error ("%s count: %s", c->name, error->message);
          ms = elapsed_ms (began);
          g_array_append_val (count_times, ms);
        }
    }

  *p50 = percentile (times, 0.50);
  *p95 = percentile (times, 0.95);
  g_string_append_printf (json, "    \"%s\": {\"runs\": %u, \"p50_ms\": %.2f, \"p95_ms\": %.2f, \"max_ms\": %.2f,"
                                " \"avg_rows\": %.1f",
                          c->name, runs, *p50, *p95, percentile (times, 1.0), (double) rows / runs);
  if (count_times->len > 0)
    g_string_append_printf (json, ", \"count_p50_ms\": %.2f, \"count_p95_ms\": %.2f",
                            percentile (count_times, 0.50), percentile (count_times, 0.95));
  g_string_append (json, "}");
  g_printerr ("%-14s p50 %7.2f ms  p95 %7.2f ms\n", c->name, *p50, *p95);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) options = g_option_context_new ("- time the ledger at a million rows");
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (Sample));
  g_autoptr(GArray) open_times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GString) json = g_string_new (NULL);
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  gboolean keep;
  gint64 ledger_rows = 0;
  double open_first_ms = 0;
  int n_rows = 1000000;
  int runs = 200;
  gboolean reused;
  double build_s = 0;
  double filter_p95 = 0;
  double search_p50 = 0;
  double search_p95 = 0;
  double short_p95 = 0;
  struct rusage usage;
  PdLedger *ledger;
  GOptionEntry entries[] = {
    { "rows", 0, 0, G_OPTION_ARG_INT, &n_rows, "Transactions to build (1000000)", "N" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Runs of each query (200)", "N" },
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &dir, "Keep the ledger in DIR and reuse it", "DIR" },
    { NULL },
  };

  g_array_set_clear_func (samples, (GDestroyNotify) sample_clear);
  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error) || n_rows <= 0 || runs <= 0)
    {
      g_printerr ("%s\n", error != NULL ? error->message : "--rows and --runs must be positive");
      return 1;
    }
  keep = dir != NULL;
  if (dir == NULL)
    {
      dir = g_dir_make_tmp ("bench-ledger-XXXXXX", &error);
      if (dir == NULL)
        g_error ("%s", error->message);
    }
  path = g_build_filename (dir, "ledger.db", NULL);

  reused = g_file_test (path, G_FILE_TEST_EXISTS);
  if (!reused)
    build_s = build (path, n_rows, samples);

  /* Open: the connection, its settings and the schema version check on the existing file. */
  for (guint i = 0; i < 5; i++)
    {
      gint64 began = g_get_monotonic_time ();
      double ms;

      ledger = open_or_die (path);
      ms = elapsed_ms (began);
      g_array_append_val (open_times, ms);
      if (i == 0)
        open_first_ms = ms;
      if (i < 4)
        close_or_die (ledger);
    }
  if (reused)
    load_samples (ledger, samples);
  g_printerr ("open: %.2f ms (first), %.2f ms (median)\n", open_first_ms, percentile (open_times, 0.5));
  for (guint a = 0; a < G_N_ELEMENTS (accounts); a++)
    {
      g_autoptr(PdLedgerFilter) filter = pd_ledger_filter_new (accounts[a].id);
      gint64 n = pd_ledger_count_sync (ledger, filter, NULL, &error);

      if (n < 0)
        g_error ("count: %s", error->message);
      ledger_rows += n;
    }

  g_string_append (json, "  \"cases\": {\n");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      double p50;
      double p95;

      if (i > 0)
        g_string_append (json, ",\n");
      measure (ledger, &cases[i], samples, runs, json, &p50, &p95);
      if (cases[i].is_filter)
        filter_p95 = MAX (filter_p95, p95);
      else if (g_str_equal (cases[i].name, "search"))
        {
          search_p50 = p50;
          search_p95 = p95;
        }
      else
        short_p95 = p95;
    }
  g_string_append (json, "\n  }\n");
  close_or_die (ledger);

  getrusage (RUSAGE_SELF, &usage);
  {
    GStatBuf st;
    double size_mb = g_stat (path, &st) == 0 ? st.st_size / 1048576.0 : 0;

    printf ("{\n"
            "  \"ledger_rows\": %" G_GINT64_FORMAT ",\n"
            "  \"build_s\": %.1f,\n"
            "  \"db_size_mb\": %.0f,\n"
            "  \"open_ms\": %.2f,\n"
            "  \"open_median_ms\": %.2f,\n"
            "  \"filter_p95_ms\": %.2f,\n"
            "  \"search_p50_ms\": %.2f,\n"
            "  \"search_p95_ms\": %.2f,\n"
            "  \"search_short_p95_ms\": %.2f,\n"
            "  \"peak_rss_mb\": %.1f,\n"
            "  \"targets\": {\"search_p95_ms\": 16, \"filter_p95_ms\": 10, \"peak_rss_mb\": 64},\n"
            "%s"
            "}\n",
            ledger_rows, build_s, size_mb, open_first_ms, percentile (open_times, 0.5),
            filter_p95, search_p50, search_p95, short_p95,
            usage.ru_maxrss / 1024.0, json->str);
  }

  if (!keep)
    {
      const char *suffixes[] = { "", "-wal", "-shm" };

      for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
        {
          g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

          g_remove (file);
        }
      g_rmdir (dir);
    }

  return 0;
}
