/* bench-status: 1,000 PesoGate status calls, Paydesk's client next to curl
 *
 * Starts the sandbox in this process (rate limit off), makes one completed
 * payment, then asks its status 1,000 times in a row through PdPesogate
 * with pacing off, and 1,000 times with one curl process that keeps one
 * connection alive for all of them. Both run three times, taking turns, and
 * the best time of each counts, so a busy machine disturbs the comparison
 * less. Prints one JSON object:
 *   {"status_calls": 1000, "status_calls_s": …, "curl_status_calls_s": …, "ratio": …}
 * Target: status_calls_s ≤ 1.5 × curl_status_calls_s.
 *
 * Usage: bench-status [N]   (N calls instead of 1,000)
 */
#define G_LOG_DOMAIN "bench-status"

#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "pd-pesogate.h"
#include "pd-test-sandbox.h"

#define DEFAULT_CALLS 1000
#define ROUNDS        3

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  GAsyncResult **out = data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

static PdPesogate *
new_client (PdTestSandbox *sandbox)
{
  g_autoptr(PdPacer) no_limit = pd_pacer_new (0, PD_PACER_DEFAULT_WINDOW_MS);
  g_autoptr(GError) error = NULL;
  PdPesogate *client = pd_pesogate_new (pd_test_sandbox_pesogate_url (sandbox), PD_SANDBOX_PESOGATE_API_KEY,
                                        PD_SANDBOX_PESOGATE_API_SECRET, no_limit, &error);

  if (client == NULL)
    g_error ("no client: %s", error->message);
  return client;
}

static PdTransaction *
status (PdPesogate  *client,
        const char  *reference,
        GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  pd_pesogate_status_async (client, reference, PD_HTTP_FLAGS_NONE, NULL, on_done, &result);
  return pd_pesogate_status_finish (client, wait_for (&result), error);
}

/* A completed payment: initialize through the client, then the 3-D Secure
 * code posted to the sandbox's ACS as the challenge page would. */
static char *
make_completed_payment (PdTestSandbox *sandbox,
                        PdPesogate    *client)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *year = g_strdup_printf ("%d", g_date_time_get_year (now) + 2);
  g_autoptr(PdPaymentRequest) request = NULL;
  g_autoptr(PdPaymentOutcome) outcome = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GRegex) creq_re = g_regex_new ("name=\"creq\" value=\"([^\"]+)\"", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autoptr(PdTestResponse) done = NULL;
  g_autoptr(PdTransaction) transaction = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *creq = NULL;
  g_autofree char *form = NULL;
  g_autofree char *url = NULL;
  PdMoney amount = { 10010, "USD" };

  request = pd_payment_request_new (&amount, "mpgs");
  if (!pd_payment_request_set_card (request, "4242424242424242", "12", year, "123", &error))
    g_error ("card: %s", error->message);

  pd_pesogate_initialize_async (client, request, NULL, on_done, &result);
  outcome = pd_pesogate_initialize_finish (client, wait_for (&result), &error);
  if (outcome == NULL)
    g_error ("initialize: %s", error->message);
  if (!g_regex_match (creq_re, pd_payment_outcome_get_html_content (outcome), 0, &match))
    g_error ("no challenge in the answer");

  creq = g_match_info_fetch (match, 1);
  form = g_strdup_printf ("creq=%s&otp=1234&action=submit", creq);
  url = g_strconcat (pd_test_sandbox_origin (sandbox), PD_SANDBOX_PESOGATE_PREFIX "/3ds/acs/complete", NULL);
  done = pd_test_http (sandbox, "POST", url, "application/x-www-form-urlencoded", form, NULL);

  transaction = status (client, pd_payment_outcome_get_transaction_reference (outcome), &error);
  if (transaction == NULL || pd_transaction_get_status (transaction) != PD_STATUS_COMPLETED)
    g_error ("the payment did not complete");
  return g_strdup (pd_payment_outcome_get_transaction_reference (outcome));
}

static double
time_client (PdTestSandbox *sandbox,
             const char    *reference,
             guint          calls)
{
  g_autoptr(PdPesogate) client = new_client (sandbox);
  gint64 start = g_get_monotonic_time ();

  for (guint i = 0; i < calls; i++)
    {
      g_autoptr(PdTransaction) transaction = NULL;
      g_autoptr(GError) error = NULL;

      transaction = status (client, reference, &error);
      if (transaction == NULL)
        g_error ("status call %u: %s", i, error->message);
    }

  return (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
}

/* One curl for all calls: it reuses its connection from one URL to the next. */
static double
time_curl (PdTestSandbox *sandbox,
           const char    *reference,
           guint          calls)
{
  g_autoptr(GString) config = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *config_path = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *url = g_strdup_printf ("%s/payments/%s/status", pd_test_sandbox_pesogate_url (sandbox), reference);
  g_auto(GStrv) codes = NULL;
  const char *argv[] = { "curl", "--silent", "--show-error", "--config", NULL, NULL };
  int fd;
  int wait_status;
  gint64 start;
  guint ok = 0;

  g_string_append (config, "header = \"Accept: application/json\"\n");
  g_string_append (config, "header = \"X-Api-Key: " PD_SANDBOX_PESOGATE_API_KEY "\"\n");
  g_string_append (config, "header = \"X-Api-Secret: " PD_SANDBOX_PESOGATE_API_SECRET "\"\n");
  g_string_append (config, "write-out = \"%{http_code}\\n\"\n");
  for (guint i = 0; i < calls; i++)
    g_string_append_printf (config, "url = \"%s\"\noutput = \"/dev/null\"\n", url);

  fd = g_file_open_tmp ("bench-status-XXXXXX.curlrc", &config_path, &error);
  if (fd < 0 || !g_file_set_contents (config_path, config->str, (gssize) config->len, &error))
    g_error ("curl config: %s", error->message);
  close (fd);
  argv[4] = config_path;

  start = g_get_monotonic_time ();
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &wait_status, &error))
    g_error ("curl: %s", error->message);
  if (!g_spawn_check_wait_status (wait_status, &error))
    g_error ("curl: %s: %s", error->message, err);
  {
    double seconds = (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;

    g_unlink (config_path);
    codes = g_strsplit (out, "\n", -1);
    for (guint i = 0; codes[i] != NULL; i++)
      if (g_str_equal (codes[i], "200"))
        ok++;
    if (ok != calls)
      g_error ("curl: %u of %u calls answered 200", ok, calls);
    return seconds;
  }
}

int
main (int   argc,
      char *argv[])
{
  PdTestSandbox *sandbox;
  g_autoptr(PdPesogate) client = NULL;
  g_autofree char *reference = NULL;
  guint calls = DEFAULT_CALLS;
  double ours, theirs;

  if (argc > 1)
    calls = (guint) g_ascii_strtoull (argv[1], NULL, 10);
  if (calls == 0)
    {
      g_printerr ("usage: %s [calls]\n", argv[0]);
      return 2;
    }

  sandbox = pd_test_sandbox_start (FALSE, 0);
  client = new_client (sandbox);
  reference = make_completed_payment (sandbox, client);

  ours = theirs = G_MAXDOUBLE;
  for (guint round = 0; round < ROUNDS; round++)
    {
      ours = MIN (ours, time_client (sandbox, reference, calls));
      theirs = MIN (theirs, time_curl (sandbox, reference, calls));
    }

  printf ("{\"status_calls\": %u, \"status_calls_s\": %.3f, \"curl_status_calls_s\": %.3f, \"ratio\": %.2f}\n",
          calls, ours, theirs, ours / theirs);

  g_clear_object (&client);
  pd_test_sandbox_stop (sandbox);
  return 0;
}
