#define G_LOG_DOMAIN "test-pacer"

#include "config.h"

#include <string.h>

#include "pd-error.h"
#include "pd-http.h"
#include "pd-pacer.h"
#include "pd-test-sandbox.h"

/* The pacer alone, with made-up requests */

typedef struct
{
  PdPacer *pacer;
  guint    index;
  gint64   granted;
  gint64   answered;
  guint    work_ms;
  GError  *error;
  gboolean done;
  GArray  *order;
} Fake;

static gboolean
on_fake_answered (gpointer data)
{
  Fake *fake = data;

  fake->answered = g_get_monotonic_time ();
  fake->done = TRUE;
  pd_pacer_release (fake->pacer);
  return G_SOURCE_REMOVE;
}

static void
on_fake_granted (GObject      *source,
                 GAsyncResult *result,
                 gpointer      data)
{
  Fake *fake = data;

  if (!pd_pacer_acquire_finish (PD_PACER (source), result, &fake->error))
    {
      fake->done = TRUE;
      return;
    }
  fake->granted = g_get_monotonic_time ();
  if (fake->order != NULL)
    g_array_append_val (fake->order, fake->index);
  if (fake->work_ms == G_MAXUINT)
    return;
  g_timeout_add (fake->work_ms, on_fake_answered, fake);
}

static void
fake_start (Fake            *fake,
            PdPacer         *pacer,
            PdPacerPriority  priority,
            GCancellable    *cancellable)
{
  fake->pacer = pacer;
  pd_pacer_acquire_async (pacer, priority, cancellable, on_fake_granted, fake);
}

static void
wait_all (Fake  *fakes,
          guint  n)
{
  for (guint i = 0; i < n; i++)
    while (!fakes[i].done)
      g_main_context_iteration (NULL, TRUE);
}

static void
test_sliding_window (void)
{
  const guint limit = 4;
  const guint window_ms = 300;
  const guint n = 14;
  g_autoptr(PdPacer) pacer = pd_pacer_new (limit, window_ms);
  Fake fakes[14] = { { 0 } };
  gint64 start = g_get_monotonic_time ();

  for (guint i = 0; i < n; i++)
    {
      /* Answers of uneven latency, as a real gateway gives. */
      fakes[i].work_ms = 5 + (i * 37) % 60;
      fake_start (&fakes[i], pacer, PD_PACER_PRIORITY_INTERACTIVE, NULL);
    }
  wait_all (fakes, n);

  /* The gateway sees request j somewhere in [granted, answered]. Whatever
   * the latencies, no window may hold more than the limit: for each j, the
   * requests that could be seen within a window before j's earliest
   * moment are fewer than the limit. */
  for (guint j = 0; j < n; j++)
    {
      guint close = 0;

      for (guint i = 0; i < n; i++)
        if (i != j && fakes[i].granted <= fakes[j].granted &&
            fakes[i].answered > fakes[j].granted - (gint64) window_ms * 1000)
          close++;
      g_assert_cmpuint (close, <, limit);
    }

  /* The first `limit` go at once: a full start cannot break the rule. */
  for (guint i = 0; i < limit; i++)
    g_assert_cmpint (fakes[i].granted - start, <, 50 * 1000);
  /* Four rounds of four, three windows apart, and not much more. */
  g_assert_cmpint (fakes[n - 1].granted - start, >=, 3 * window_ms * 1000);
  g_assert_cmpint (fakes[n - 1].granted - start, <, 3 * window_ms * 1000 + 3 * 60 * 1000 + 200 * 1000);
}

static void
test_priority (void)
{
  g_autoptr(PdPacer) pacer = pd_pacer_new (1, 100);
  g_autoptr(GArray) order = g_array_new (FALSE, FALSE, sizeof (guint));
  Fake first = { .work_ms = 20 };
  Fake fakes[6] = { { 0 } };
  static const PdPacerPriority priorities[] = {
    PD_PACER_PRIORITY_BACKGROUND, PD_PACER_PRIORITY_BACKGROUND, PD_PACER_PRIORITY_INTERACTIVE,
    PD_PACER_PRIORITY_BACKGROUND, PD_PACER_PRIORITY_INTERACTIVE, PD_PACER_PRIORITY_INTERACTIVE,
  };

  fake_start (&first, pacer, PD_PACER_PRIORITY_BACKGROUND, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (fakes); i++)
    {
      fakes[i].index = i;
      fakes[i].work_ms = 1;
      fakes[i].order = order;
      fake_start (&fakes[i], pacer, priorities[i], NULL);
    }
  g_assert_cmpuint (pd_pacer_get_queued (pacer), ==, 6);
  wait_all (&first, 1);
  wait_all (fakes, G_N_ELEMENTS (fakes));

  /* People first, in the order they asked; then the refreshes, in theirs. */
  {
    static const guint expected[] = { 2, 4, 5, 0, 1, 3 };

    g_assert_cmpuint (order->len, ==, G_N_ELEMENTS (expected));
    for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
      g_assert_cmpuint (g_array_index (order, guint, i), ==, expected[i]);
  }
}

static gboolean
cancel_later (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel (void)
{
  g_autoptr(PdPacer) pacer = pd_pacer_new (1, 200);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GCancellable) already = g_cancellable_new ();
  Fake holder = { .work_ms = G_MAXUINT };
  Fake waiting = { .work_ms = 1 };
  Fake early = { .work_ms = 1 };
  Fake after = { .work_ms = 1 };
  gint64 start;

  fake_start (&holder, pacer, PD_PACER_PRIORITY_INTERACTIVE, NULL);
  while (holder.granted == 0)
    g_main_context_iteration (NULL, TRUE);

  start = g_get_monotonic_time ();
  fake_start (&waiting, pacer, PD_PACER_PRIORITY_BACKGROUND, cancellable);
  g_timeout_add (50, cancel_later, cancellable);
  wait_all (&waiting, 1);
  g_assert_error (waiting.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 150 * 1000);
  g_assert_cmpuint (pd_pacer_get_queued (pacer), ==, 0);

  g_cancellable_cancel (already);
  fake_start (&early, pacer, PD_PACER_PRIORITY_INTERACTIVE, already);
  wait_all (&early, 1);
  g_assert_error (early.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  /* The cancelled waiters took no slot: the next one goes once the
   * holder's window has passed. */
  pd_pacer_release (pacer);
  start = g_get_monotonic_time ();
  fake_start (&after, pacer, PD_PACER_PRIORITY_INTERACTIVE, NULL);
  wait_all (&after, 1);
  g_assert_no_error (after.error);
  g_assert_cmpint (after.granted - start, >=, 200 * 1000);
  g_assert_cmpint (after.granted - start, <, 400 * 1000);

  g_clear_error (&waiting.error);
  g_clear_error (&early.error);
}

static void
on_waiting_until (PdPacer    *pacer,
                  GParamSpec *pspec,
                  GArray     *values)
{
  gint64 value = pd_pacer_get_waiting_until (pacer);

  g_array_append_val (values, value);
}

static void
wait_for_pause_end (PdPacer *pacer)
{
  while (pd_pacer_get_waiting_until (pacer) != 0)
    g_main_context_iteration (NULL, TRUE);
}

static void
test_pause (void)
{
  g_autoptr(PdPacer) pacer = pd_pacer_new (100, 60000);
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (gint64));
  Fake during = { .work_ms = 1 };
  gint64 start = g_get_monotonic_time ();
  gint64 wait_ms;

  g_signal_connect (pacer, "notify::waiting-until", G_CALLBACK (on_waiting_until), values);

  /* Retry-After is honoured to the letter the first time. */
  wait_ms = pd_pacer_rate_limited (pacer, 1500);
  g_assert_cmpint (wait_ms, >, 1490);
  g_assert_cmpint (wait_ms, <=, 1500);
  g_assert_cmpuint (values->len, ==, 1);
  g_assert_cmpint (g_array_index (values, gint64, 0) - start, >=, 1500 * 1000);
  g_assert_cmpuint (pd_pacer_get_waiting_seconds (pacer), ==, 2);

  /* The whole account waits: a request asked now goes after the pause. */
  fake_start (&during, pacer, PD_PACER_PRIORITY_INTERACTIVE, NULL);
  wait_all (&during, 1);
  g_assert_cmpint (during.granted - start, >=, 1500 * 1000);
  g_assert_cmpuint (values->len, ==, 2);
  g_assert_cmpint (g_array_index (values, gint64, 1), ==, 0);
  g_assert_cmpuint (pd_pacer_get_waiting_seconds (pacer), ==, 0);

  /* When 429s keep coming: 1 s, 2 s, 4 s … with up to a quarter more of
   * jitter, and a short Retry-After does not cut the back-off short. */
  wait_ms = pd_pacer_rate_limited (pacer, 500);
  g_assert_cmpint (wait_ms, >=, 1990);
  g_assert_cmpint (wait_ms, <=, 2500);
  /* A 429 for a request sent before the pause began is no new signal. */
  g_assert_cmpint (pd_pacer_rate_limited (pacer, -1), <=, wait_ms);
  wait_for_pause_end (pacer);

  /* An answer that is not a 429 starts the back-off anew. */
  pd_pacer_reset_backoff (pacer);
  wait_ms = pd_pacer_rate_limited (pacer, -1);
  g_assert_cmpint (wait_ms, >=, 990);
  g_assert_cmpint (wait_ms, <=, 1250);

  /* A Retry-After beyond reason is capped, so the app stays usable. */
  g_assert_cmpint (pd_pacer_rate_limited (pacer, (gint64) 10 * 3600 * 1000), <=, 10 * 60 * 1000);
}

static void
test_off (void)
{
  g_autoptr(PdPacer) pacer = pd_pacer_new (0, 60000);
  Fake *fakes = g_new0 (Fake, 1000);

  for (guint i = 0; i < 1000; i++)
    {
      fakes[i].work_ms = G_MAXUINT;
      fake_start (&fakes[i], pacer, PD_PACER_PRIORITY_BACKGROUND, NULL);
    }
  /* One pass of the main loop lets them all go. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  for (guint i = 0; i < 1000; i++)
    {
      g_assert_cmpint (fakes[i].granted, >, 0);
      pd_pacer_release (pacer);
    }
  g_assert_cmpuint (pd_pacer_get_limit (pacer), ==, 0);
  g_free (fakes);
}

/* Through PdHttp, against the sandbox */

static PdTestSandbox *sandbox;

typedef struct
{
  guint    index;
  gboolean background;
  GError  *error;
  gboolean done;
  guint   *pending;
} Call;

static void
on_call_done (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  Call *call = data;
  g_autoptr(PdHttpResponse) response = pd_http_request_finish (PD_HTTP (source), result, &call->error);

  call->done = TRUE;
  (*call->pending)--;
}

static gint64
log_time_us (JsonObject *entry)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_iso8601 (json_object_get_string_member (entry, "time"), NULL);

  g_assert_nonnull (time);
  return g_date_time_to_unix (time) * G_USEC_PER_SEC + g_date_time_get_microsecond (time);
}

static void
test_sandbox_twice_the_limit (void)
{
  const guint n = 2 * PD_SANDBOX_DEFAULT_RATE_LIMIT;
  const guint n_background = 150;
  const char *prefix = PD_SANDBOX_PESOGATE_PREFIX PD_SANDBOX_API_PATH "/payments/";
  g_autoptr(GError) error = NULL;
  g_autoptr(PdHttp) http = pd_http_new (pd_test_sandbox_pesogate_url (sandbox), NULL, &error);
  g_autoptr(JsonArray) requests = NULL;
  g_autoptr(GHashTable) background = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  Call *calls = g_new0 (Call, n);
  guint pending = n;
  gint64 start;
  gint64 elapsed;
  guint last_interactive = 0;
  guint first_queued_background = G_MAXUINT;

  g_assert_no_error (error);
  g_assert_cmpuint (pd_pacer_get_limit (pd_http_get_pacer (http)), ==, PD_SANDBOX_DEFAULT_RATE_LIMIT);
  pd_http_set_credentials (http, PD_SANDBOX_PESOGATE_API_KEY, PD_SANDBOX_PESOGATE_API_SECRET);
  pd_test_sandbox_clear_requests (sandbox);

  /* 150 background refreshes, then 50 requests a person waits for. */
  start = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *ref = g_uuid_string_random ();
      g_autofree char *path = g_strdup_printf ("/payments/%s/status", ref);

      calls[i].index = i;
      calls[i].background = i < n_background;
      calls[i].pending = &pending;
      if (calls[i].background)
        g_hash_table_add (background, g_strconcat (PD_SANDBOX_PESOGATE_PREFIX PD_SANDBOX_API_PATH, path, NULL));
      pd_http_request_async (http, "GET", path, NULL,
                             calls[i].background ? PD_HTTP_FLAGS_BACKGROUND : PD_HTTP_FLAGS_NONE,
                             NULL, on_call_done, &calls[i]);
    }
  while (pending > 0)
    g_main_context_iteration (NULL, TRUE);
  elapsed = g_get_monotonic_time () - start;
  g_test_message ("%u requests in %.2f s", n, elapsed / 1e6);

  /* Every one got the gateway's real answer (no such payment), none a 429. */
  for (guint i = 0; i < n; i++)
    {
      g_assert_error (calls[i].error, PD_GATEWAY_ERROR, PD_GATEWAY_ERROR_NOT_FOUND);
      g_clear_error (&calls[i].error);
    }

  /* The limit forces one minute; no more than 10% later than that. */
  g_assert_cmpint (elapsed, >=, 60 * G_USEC_PER_SEC);
  g_assert_cmpint (elapsed, <=, 66 * G_USEC_PER_SEC);

  /* The gateway's own log: each request once, zero 429s, and no rolling
   * minute that holds more than the limit. */
  requests = pd_test_sandbox_requests (sandbox, prefix);
  g_assert_cmpuint (json_array_get_length (requests), ==, n);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *entry = json_array_get_object_element (requests, i);
      gint64 t = log_time_us (entry);
      guint in_window = 0;

      g_assert_cmpint (json_object_get_int_member (entry, "status"), ==, 404);
      for (guint j = 0; j <= i; j++)
        if (t - log_time_us (json_array_get_object_element (requests, j)) < 60 * G_USEC_PER_SEC)
          in_window++;
      g_assert_cmpuint (in_window, <=, PD_SANDBOX_DEFAULT_RATE_LIMIT);

      /* After the first minute's 100, the people's 50 go before the 50
       * refreshes still queued. */
      if (i >= PD_SANDBOX_DEFAULT_RATE_LIMIT)
        {
          if (g_hash_table_contains (background, json_object_get_string_member (entry, "path")))
            first_queued_background = MIN (first_queued_background, i);
          else
            last_interactive = i;
        }
    }
  /* libsoup keeps two connections per host: arrivals may swap by one. */
  g_assert_cmpuint (last_interactive, <=, first_queued_background + 1);
  g_assert_cmpuint (last_interactive, >=, PD_SANDBOX_DEFAULT_RATE_LIMIT + 49);

  g_free (calls);
}

static void
test_sandbox_429_pause (void)
{
  const char *full = PD_SANDBOX_PAYSGATOR_PREFIX PD_SANDBOX_API_PATH "/wallet/balance";
  g_autoptr(GError) error = NULL;
  g_autoptr(PdHttp) http = pd_http_new (pd_test_sandbox_paysgator_url (sandbox), NULL, &error);
  g_autoptr(GArray) values = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(JsonArray) requests = NULL;
  PdPacer *pacer;
  Call first = { 0 };
  Call second = { .background = TRUE };
  guint pending = 2;
  gint64 start;
  gint64 t429;

  g_assert_no_error (error);
  pacer = pd_http_get_pacer (http);
  pd_http_set_credentials (http, PD_SANDBOX_PAYSGATOR_TEST_KEY, NULL);
  g_signal_connect (pacer, "notify::waiting-until", G_CALLBACK (on_waiting_until), values);
  pd_test_sandbox_clear_requests (sandbox);
  pd_test_sandbox_fault (sandbox, full, "rate_limit", 1, 2, FALSE);

  start = g_get_monotonic_time ();
  first.pending = &pending;
  pd_http_request_async (http, "GET", "/wallet/balance", NULL, PD_HTTP_FLAGS_NONE, NULL, on_call_done, &first);

  /* The UI hears of the wait as soon as the 429 arrives. */
  while (values->len == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (pd_pacer_get_waiting_seconds (pacer), ==, 2);
  g_assert_cmpint (g_array_index (values, gint64, 0) - start, >=, 2 * G_USEC_PER_SEC);

  /* Another request of the same account waits out the pause too. */
  second.pending = &pending;
  pd_http_request_async (http, "GET", "/wallet/balance", NULL, PD_HTTP_FLAGS_BACKGROUND, NULL, on_call_done, &second);

  while (pending > 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (first.error);
  g_assert_no_error (second.error);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 2 * G_USEC_PER_SEC);
  g_assert_cmpuint (values->len, ==, 2);
  g_assert_cmpint (g_array_index (values, gint64, 1), ==, 0);

  /* At the gateway: the 429, then nothing for two seconds, then both. */
  requests = pd_test_sandbox_requests (sandbox, full);
  g_assert_cmpuint (json_array_get_length (requests), ==, 3);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (requests, 0), "status"), ==, 429);
  t429 = log_time_us (json_array_get_object_element (requests, 0));
  for (guint i = 1; i < 3; i++)
    {
      JsonObject *entry = json_array_get_object_element (requests, i);

      g_assert_cmpint (json_object_get_int_member (entry, "status"), ==, 200);
      g_assert_cmpint (log_time_us (entry) - t429, >=, 2 * G_USEC_PER_SEC - 50 * 1000);
    }
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pd/pacer/sliding-window", test_sliding_window);
  g_test_add_func ("/pd/pacer/priority", test_priority);
  g_test_add_func ("/pd/pacer/cancel", test_cancel);
  g_test_add_func ("/pd/pacer/pause", test_pause);
  g_test_add_func ("/pd/pacer/off", test_off);
  g_test_add_func ("/pd/pacer/sandbox/429-pause", test_sandbox_429_pause);
  g_test_add_func ("/pd/pacer/sandbox/twice-the-limit", test_sandbox_twice_the_limit);

  sandbox = pd_test_sandbox_start (FALSE, PD_SANDBOX_DEFAULT_RATE_LIMIT);
  ret = g_test_run ();
  pd_test_sandbox_stop (sandbox);
  return ret;
}
