/* test-challenge-view.c: the 3-D Secure view against the in-process sandbox
 *
 * Runs under Xvfb (see TESTING.md). Each test initializes a real payment
 * on the sandbox over HTTP, shows its challenge in a PdChallengeView in a
 * window, and drives the ACS page inside the real WebKitWebView with
 * webkit_web_view_evaluate_javascript(). The return and cancel addresses
 * are on paydesk.invalid, which no DNS can resolve: the tests pass offline
 * only if those addresses are never loaded.
 *
 * With PD_TEST_SCREENSHOT_DIR set, some tests also save the screen there
 * (ImageMagick's import): challenge.png (MPGS), challenge-redirect.png
 * (CyberSource), challenge-small.png (a small window), failure.png (TLS).
 */
#define G_LOG_DOMAIN "test-challenge-view"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <webkit/webkit.h>

#include "paydesk-resources.h"
#include "pd-challenge-view.h"
#include "pd-test-sandbox.h"

#define RETURN_BASE "https://paydesk.invalid/3ds/return/"
#define CANCEL_BASE "https://paydesk.invalid/3ds/cancel/"

/* The ACS page's document: in the MPGS iframe, or the page itself. */
#define ACS_DOC "(function () { var f = document.querySelector ('iframe#challengeFrame');" \
                " return f && f.contentDocument ? f.contentDocument : document; }) ()"

/* A self-signed certificate for 127.0.0.1 that no one trusts. */
static const char test_certificate[] =
  "-----BEGIN CERTIFICATE-----\n"
  "MIIBkDCCATagAwIBAgIUXa87AchF6XJr2s0Sk25VI4mQZZ0wCgYIKoZIzj0EAwIw\n"
  "FDESMBAGA1UEAwwJMTI3LjAuMC4xMCAXDTI2MTEyMTE3NTYzNloYDzIxMjYxMDI4\n"
  "MTc1NjM2WjAUMRIwEAYDVQQDDAkxMjcuMC4wLjEwWTATBgcqhkjOPQIBBggqhkjO\n"
  "PQMBBwNCAAQMyPkU44SupZttfIz0H3PbNVPB7GVy/IEpbdCq36ImopuTeb44PDCg\n"
  "LZCurz9Ot72ruAndfeaEmNWNAcrzOx4Bo2QwYjAdBgNVHQ4EFgQU8AOq2yIvVvH+\n"
  "9w1URwV8ysH4eWMwHwYDVR0jBBgwFoAU8AOq2yIvVvH+9w1URwV8ysH4eWMwDwYD\n"
  "VR0TAQH/BAUwAwEB/zAPBgNVHREECDAGhwR/AAABMAoGCCqGSM49BAMCA0gAMEUC\n"
  "IBmN6ji2eEz2k3Lmn0nboGSd/ovrHJxwVg8VcXacZGchAiEAiga+m4XA6sj2PsUV\n"
  "Xk0dFjNPUqctDeL5fruP+4vL0RI=\n"
  "-----END CERTIFICATE-----\n"
  "-----BEGIN PRIVATE KEY-----\n"
  "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgx4iqrRd+oIGuNt64\n"
  "tO/LyN9kUTgz2k+GJfYsCaIYoyShRANCAAQMyPkU44SupZttfIz0H3PbNVPB7GVy\n"
  "/IEpbdCq36ImopuTeb44PDCgLZCurz9Ot72ruAndfeaEmNWNAcrzOx4B\n"
  "-----END PRIVATE KEY-----\n";

static PdTestSandbox *sb;
static char *tmp_root;
static char *download_dir;

/* A tiny web server of the test's own, on the main context: what the
 * sandbox does not serve (a download, a binary file, a TLS page). */
static SoupServer *web_server;
static char *web_origin;
static SoupServer *tls_server;
static char *tls_origin;
static guint web_requests;

typedef struct
{
  GtkWindow       *window;
  PdChallengeView *view;
  WebKitWebView   *web_view;  /* the current challenge's, kept for checks */

  guint            n_finished;
  PdChallengeEnd   end;
  char            *end_url;
  guint            n_loaded;
  GPtrArray       *uris;      /* every address the top frame committed or finished on */

  char            *order_id;
  char            *reference;
  char            *return_url;
  char            *cancel_url;
} Fixture;

/* Helpers ------------------------------------------------------------------- */

static gboolean
keep_waking (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main context until @cond holds; fails after 30 s (a loaded
 * machine is slow to start WebKit's processes). */
#define WAIT_FOR(cond) \
  G_STMT_START { \
    gint64 deadline_ = g_get_monotonic_time () + 30 * G_USEC_PER_SEC; \
    guint tick_ = g_timeout_add (10, keep_waking, NULL); \
    while (!(cond)) \
      { \
        if (g_get_monotonic_time () > deadline_) \
          g_error ("Timed out waiting for %s", #cond); \
        g_main_context_iteration (NULL, TRUE); \
      } \
    g_source_remove (tick_); \
  } G_STMT_END

static gboolean
set_flag (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main context for @ms milliseconds. */
static void
spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, set_flag, &done);
  WAIT_FOR (done);
}

typedef struct
{
  gboolean  done;
  char     *result;
  GError   *error;
} JsResult;

static void
js_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  JsResult *js = user_data;
  g_autoptr(JSCValue) value = webkit_web_view_evaluate_javascript_finish (WEBKIT_WEB_VIEW (source), result, &js->error);

  if (value != NULL)
    js->result = jsc_value_to_string (value);
  js->done = TRUE;
}

/* The script's value as a string, or NULL when it threw. */
static char *
eval_js (WebKitWebView *web_view,
         const char    *script)
{
  JsResult js = { FALSE, NULL, NULL };

  webkit_web_view_evaluate_javascript (web_view, script, -1, NULL, NULL, NULL, js_done, &js);
  WAIT_FOR (js.done);
  g_clear_error (&js.error);
  return js.result;
}

/* Waits until @script evaluates to "true". */
static void
wait_for_js (WebKitWebView *web_view,
             const char    *script)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  for (;;)
    {
      g_autofree char *value = eval_js (web_view, script);

      if (g_strcmp0 (value, "true") == 0)
        return;
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting for the page (at %s, %s): %s",
                 webkit_web_view_get_uri (web_view),
                 webkit_web_view_is_loading (web_view) ? "loading" : "not loading",
                 script);
      spin (50);
    }
}

static void
wait_for_acs (Fixture *f)
{
  wait_for_js (f->web_view, "!!" ACS_DOC ".getElementById ('otp')");
}

/* Types @code into the ACS page and presses its @button ("submit" or "cancel"). */
static void
answer_acs (Fixture    *f,
            const char *code,
            const char *button)
{
  g_autofree char *script = g_strdup_printf ("var d = " ACS_DOC ";"
                                             "d.getElementById ('otp').value = '%s';"
                                             "d.querySelector ('button[value=%s]').click ();"
                                             "'sent'",
                                             code, button);
  g_autofree char *value = eval_js (f->web_view, script);

  g_assert_cmpstr (value, ==, "sent");
}

static void
take_screenshot (const char *name)
{
  const char *dir = g_getenv ("PD_TEST_SCREENSHOT_DIR");
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  int wait_status = 0;

  if (dir == NULL)
    return;
  /* Let the last frame reach the screen. */
  spin (1000);
  path = g_build_filename (dir, name, NULL);
  {
    const char *argv[] = { "import", "-window", "root", path, NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &wait_status, &error);
  }
  g_assert_no_error (error);
  g_test_message ("screenshot: %s", path);
}

static char *
gateway_status (const char *reference)
{
  g_autofree char *path = g_strdup_printf ("/payments/%s/status", reference);
  g_autoptr(PdTestResponse) resp = pd_test_pesogate (sb, "GET", path, NULL);
  JsonObject *obj;

  g_assert_cmpuint (resp->status, ==, 200);
  obj = pd_test_response_object (resp);
  return g_strdup (json_object_get_string_member (json_object_get_object_member (obj, "data"), "status"));
}

#define assert_gateway_status(reference, expected) \
  G_STMT_START { \
    g_autofree char *status_ = gateway_status (reference); \
    g_assert_cmpstr (status_, ==, (expected)); \
  } G_STMT_END

/* How many requests the sandbox got whose path starts with @prefix. */
static guint
sandbox_requests (const char *prefix)
{
  g_autoptr(JsonArray) requests = pd_test_sandbox_requests (sb, prefix);

  return json_array_get_length (requests);
}

/* Initializes a payment with the sandbox and returns its outcome, as the
 * PesoGate client would build it. @return_base and @cancel_base are
 * followed by the order id. */
static PdPaymentOutcome *
initialize_payment_with (Fixture    *f,
                         const char *provider,
                         const char *card,
                         const char *return_base,
                         const char *cancel_base)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *body = NULL;
  g_autoptr(PdTestResponse) resp = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  PdPaymentOutcome *outcome;
  JsonObject *obj;
  const char *action;

  f->order_id = g_strdup_printf ("3DS-%.8s", uuid);
  f->return_url = g_strconcat (return_base, f->order_id, NULL);
  f->cancel_url = g_strconcat (cancel_base, f->order_id, NULL);
  body = g_strdup_printf ("{\"order_id\": \"%s\", \"amount\": 42.50, \"currency\": \"USD\","
                          " \"payment_provider\": \"%s\", \"card_number\": \"%s\","
                          " \"exp_month\": \"12\", \"exp_year\": \"%d\", \"cvv\": \"123\","
                          " \"customer_name\": \"Ana Cruz\", \"customer_email\": \"ana@example.com\","
                          " \"return_url\": \"%s\", \"cancel_url\": \"%s\"}",
                          f->order_id, provider, card, g_date_time_get_year (now) + 2,
                          f->return_url, f->cancel_url);
  resp = pd_test_pesogate (sb, "POST", "/payments/initialize", body);
  g_assert_cmpuint (resp->status, ==, 200);
  obj = pd_test_response_object (resp);
  f->reference = g_strdup (json_object_get_string_member (obj, "transaction_reference"));
  action = json_object_get_string_member_with_default (obj, "action", NULL);

  if (g_strcmp0 (action, "render_html") == 0)
    {
      g_autofree char *base_uri = g_strconcat (pd_test_sandbox_origin (sb), "/", NULL);

      outcome = pd_payment_outcome_new (PD_PAYMENT_OUTCOME_RENDER_HTML, f->reference);
      pd_payment_outcome_set_html (outcome, json_object_get_string_member (obj, "html_content"), base_uri);
    }
  else
    {
      outcome = pd_payment_outcome_new (PD_PAYMENT_OUTCOME_REDIRECT, f->reference);
      pd_payment_outcome_set_redirect_url (outcome, json_object_get_string_member (obj, "redirect_url"));
    }
  pd_payment_outcome_set_order_id (outcome, f->order_id);
  return outcome;
}

static PdPaymentOutcome *
initialize_payment (Fixture    *f,
                    const char *provider,
                    const char *card)
{
  return initialize_payment_with (f, provider, card, RETURN_BASE, CANCEL_BASE);
}

/* A RENDER_HTML outcome with @html, as if the gateway at @base_uri sent it. */
static PdPaymentOutcome *
html_outcome (const char *html,
              const char *base_uri)
{
  PdPaymentOutcome *outcome = pd_payment_outcome_new (PD_PAYMENT_OUTCOME_RENDER_HTML, "00000000-0000-4000-8000-000000000000");

  pd_payment_outcome_set_html (outcome, html, base_uri);
  return outcome;
}

static PdPaymentOutcome *
redirect_outcome (const char *url)
{
  PdPaymentOutcome *outcome = pd_payment_outcome_new (PD_PAYMENT_OUTCOME_REDIRECT, "00000000-0000-4000-8000-000000000000");

  pd_payment_outcome_set_redirect_url (outcome, url);
  return outcome;
}

static void
on_load_changed (WebKitWebView   *web_view,
                 WebKitLoadEvent  load_event,
                 Fixture         *f)
{
  const char *uri = webkit_web_view_get_uri (web_view);

  /* The address shown while a redirect waits for its policy decision is
   * only provisional: what counts is what was committed, and what the view
   * shows once a load is over. */
  if ((load_event == WEBKIT_LOAD_COMMITTED || load_event == WEBKIT_LOAD_FINISHED) && uri != NULL)
    g_ptr_array_add (f->uris, g_strdup (uri));
}

static void
forget_web_view (Fixture *f)
{
  if (f->web_view == NULL)
    return;
  g_signal_handlers_disconnect_by_data (f->web_view, f);
  g_clear_object (&f->web_view);
}

static gboolean
has_committed (Fixture    *f,
               const char *uri)
{
  for (guint i = 0; i < f->uris->len; i++)
    if (g_str_equal (g_ptr_array_index (f->uris, i), uri))
      return TRUE;
  return FALSE;
}

static void
start (Fixture                *f,
       const PdPaymentOutcome *outcome,
       const char             *return_url,
       const char             *cancel_url)
{
  forget_web_view (f);
  pd_challenge_view_start (f->view, outcome, return_url, cancel_url,
                           "US$42.50", "Visa •••• 4242", "Corner Bakery");
  /* Counted from here: a challenge still on screen ended in the call. */
  f->n_finished = 0;
  f->n_loaded = 0;
  g_clear_pointer (&f->end_url, g_free);
  f->web_view = WEBKIT_WEB_VIEW (g_object_ref (pd_challenge_view_get_web_view (f->view)));
  g_signal_connect (f->web_view, "load-changed", G_CALLBACK (on_load_changed), f);
}

static void
start_payment (Fixture                *f,
               const PdPaymentOutcome *outcome)
{
  start (f, outcome, f->return_url, f->cancel_url);
}

static void
wait_finished (Fixture *f)
{
  WAIT_FOR (f->n_finished > 0);
  /* Exactly one: nothing more comes. */
  spin (100);
  g_assert_cmpuint (f->n_finished, ==, 1);
  g_assert_false (pd_challenge_view_get_active (f->view));
  g_assert_null (pd_challenge_view_get_web_view (f->view));
}

/* Neither Paydesk address was ever committed in the top frame. */
static void
assert_never_loaded (Fixture *f)
{
  g_assert_cmpuint (f->uris->len, >, 0);
  for (guint i = 0; i < f->uris->len; i++)
    {
      const char *uri = g_ptr_array_index (f->uris, i);

      g_assert_false (g_str_has_prefix (uri, f->return_url));
      g_assert_false (g_str_has_prefix (uri, f->cancel_url));
    }
  g_assert_false (g_str_has_prefix (webkit_web_view_get_uri (f->web_view), f->return_url));
  g_assert_false (g_str_has_prefix (webkit_web_view_get_uri (f->web_view), f->cancel_url));
}

static void
assert_intercepted (Fixture        *f,
                    PdChallengeEnd  end,
                    const char     *url)
{
  g_autofree char *reference_param = g_strdup_printf ("reference=%s", f->reference);

  g_assert_cmpint (f->end, ==, end);
  g_assert_nonnull (f->end_url);
  g_assert_true (g_str_has_prefix (f->end_url, url));
  g_assert_nonnull (strstr (f->end_url, reference_param));
  assert_never_loaded (f);
}

/* Fixture ------------------------------------------------------------------- */

static void
on_finished (PdChallengeView *view,
             PdChallengeEnd   end,
             const char      *url,
             Fixture         *f)
{
  f->n_finished++;
  f->end = end;
  g_free (f->end_url);
  f->end_url = g_strdup (url);
}

static void
on_loaded (PdChallengeView *view,
           Fixture         *f)
{
  f->n_loaded++;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->uris = g_ptr_array_new_with_free_func (g_free);
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_title (f->window, "Paydesk challenge test");
  gtk_window_set_default_size (f->window, 1000, 720);
  f->view = g_object_ref_sink (pd_challenge_view_new ());
  g_signal_connect (f->view, "finished", G_CALLBACK (on_finished), f);
  g_signal_connect (f->view, "loaded", G_CALLBACK (on_loaded), f);
  gtk_window_set_child (f->window, GTK_WIDGET (f->view));
  gtk_window_present (f->window);
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (f->view)));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  forget_web_view (f);
  g_signal_handlers_disconnect_by_data (f->view, f);
  gtk_window_destroy (f->window);
  g_assert_finalize_object (f->view);
  g_ptr_array_unref (f->uris);
  g_free (f->end_url);
  g_free (f->order_id);
  g_free (f->reference);
  g_free (f->return_url);
  g_free (f->cancel_url);
}

/* Tests ---------------------------------------------------------------------- */

/* MPGS: render_html whose form posts into an iframe; the code 1234 passes. */
static void
test_mpgs_success (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(PdPaymentOutcome) outcome = initialize_payment (f, "mpgs", "4242424242424242");
  WebKitNetworkSession *session;
  WebKitSettings *settings;

  g_assert_cmpint (pd_payment_outcome_get_kind (outcome), ==, PD_PAYMENT_OUTCOME_RENDER_HTML);
  pd_test_sandbox_clear_requests (sb);
  start_payment (f, outcome);
  g_assert_true (pd_challenge_view_get_active (f->view));

  session = webkit_web_view_get_network_session (f->web_view);
  g_assert_true (webkit_network_session_is_ephemeral (session));
  g_assert_cmpint (webkit_network_session_get_tls_errors_policy (session), ==, WEBKIT_TLS_ERRORS_POLICY_FAIL);
  settings = webkit_web_view_get_settings (f->web_view);
  g_assert_true (webkit_settings_get_enable_javascript (settings));
  g_assert_false (webkit_settings_get_enable_developer_extras (settings));
  g_assert_false (webkit_settings_get_allow_file_access_from_file_urls (settings));
  g_assert_false (webkit_settings_get_allow_universal_access_from_file_urls (settings));
  g_assert_false (webkit_settings_get_javascript_can_open_windows_automatically (settings));
  g_assert_false (webkit_settings_get_enable_back_forward_navigation_gestures (settings));
  g_assert_false (webkit_settings_get_enable_webgl (settings));

  WAIT_FOR (f->n_loaded > 0);
  wait_for_acs (f);
  /* The ACS page came from the gateway, through the iframe. */
  g_assert_cmpuint (sandbox_requests ("/pesogate/3ds/acs"), ==, 1);
  g_assert_true (gtk_window_get_focus (f->window) == GTK_WIDGET (f->web_view));
  take_screenshot ("challenge.png");

  answer_acs (f, "1234", "submit");
  wait_finished (f);
  assert_intercepted (f, PD_CHALLENGE_END_RETURN_URL, f->return_url);
  assert_gateway_status (f->reference, "completed");
  g_assert_null (pd_challenge_view_get_failure_message (f->view));
}

/* CyberSource: a redirect_url in the top frame; the return address is given
 * to the view in another spelling (case, default port) and still matches. */
static void
test_cybersource_success (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(PdPaymentOutcome) outcome = initialize_payment (f, "cybersource", "4111111111111111");
  g_autofree char *spelled = NULL;

  g_assert_cmpint (pd_payment_outcome_get_kind (outcome), ==, PD_PAYMENT_OUTCOME_REDIRECT);
  spelled = g_strconcat ("HTTPS://PayDesk.INVALID:443/3ds/return/", f->order_id, NULL);
  start (f, outcome, spelled, f->cancel_url);
  wait_for_acs (f);
  g_assert_true (gtk_window_get_focus (f->window) == GTK_WIDGET (f->web_view));

  take_screenshot ("challenge-redirect.png");

  answer_acs (f, "1234", "submit");
  wait_finished (f);
  assert_intercepted (f, PD_CHALLENGE_END_RETURN_URL, f->return_url);
  assert_gateway_status (f->reference, "completed");
}

static void
test_wrong_code (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(PdPaymentOutcome) outcome = initialize_payment (f, "mpgs", "5123450000000008");

  start_payment (f, outcome);
  wait_for_acs (f);
  answer_acs (f, "9999", "submit");
  wait_finished (f);
  assert_intercepted (f, PD_CHALLENGE_END_CANCEL_URL, f->cancel_url);
  assert_gateway_status (f->reference, "failed");
}

/* The ACS page's own Cancel button. */
static void
test_page_cancel (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(PdPaymentOutcome) outcome = initialize_payment (f, "cybersource", "5555555555554444");

  start_payment (f, outcome);
  wait_for_acs (f);
  answer_acs (f, "", "cancel");
  wait_finished (f);
  assert_intercepted (f, PD_CHALLENGE_END_CANCEL_URL, f->cancel_url);
  assert_gateway_status (f->reference, "cancelled");
}

/* Paydesk's Cancel: the function, the button's action, the Escape binding. */
static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  static const char * const ways[] = { "function", "action", "escape" };

  for (guint i = 0; i < G_N_ELEMENTS (ways); i++)
    {
      g_autoptr(PdPaymentOutcome) outcome = NULL;

      g_clear_pointer (&f->order_id, g_free);
      g_clear_pointer (&f->reference, g_free);
      g_clear_pointer (&f->return_url, g_free);
      g_clear_pointer (&f->cancel_url, g_free);
      outcome = initialize_payment (f, "mpgs", "4242424242424242");
      start_payment (f, outcome);
      wait_for_acs (f);

      g_test_message ("cancel by %s", ways[i]);
      if (g_str_equal (ways[i], "function"))
        pd_challenge_view_cancel (f->view);
      else if (g_str_equal (ways[i], "action"))
        g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->view), "challenge.cancel", NULL));
      else
        {
          /* Escape goes to the focused web view first: the binding must still fire. */
          g_autoptr(GtkShortcutTrigger) trigger = gtk_keyval_trigger_new (GDK_KEY_Escape, 0);
          GListModel *controllers = gtk_widget_observe_controllers (GTK_WIDGET (f->view));
          gboolean found = FALSE;

          for (guint j = 0; j < g_list_model_get_n_items (controllers) && !found; j++)
            {
              g_autoptr(GObject) controller = g_list_model_get_item (controllers, j);

              if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
                continue;
              for (guint k = 0; k < g_list_model_get_n_items (G_LIST_MODEL (controller)) && !found; k++)
                {
                  g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), k);
                  GtkShortcutAction *action = gtk_shortcut_get_action (shortcut);

                  found = gtk_shortcut_trigger_equal (gtk_shortcut_get_trigger (shortcut), trigger) &&
                          GTK_IS_NAMED_ACTION (action) &&
                          g_str_equal (gtk_named_action_get_action_name (GTK_NAMED_ACTION (action)), "challenge.cancel") &&
                          gtk_shortcut_action_activate (action, 0, GTK_WIDGET (f->view), NULL);
                }
            }
          g_object_unref (controllers);
          g_assert_true (found);
        }

      /* The end is at once; a second press changes nothing. */
      g_assert_false (pd_challenge_view_get_active (f->view));
      gtk_widget_activate_action (GTK_WIDGET (f->view), "challenge.cancel", NULL);
      pd_challenge_view_cancel (f->view);
      wait_finished (f);
      g_assert_cmpint (f->end, ==, PD_CHALLENGE_END_CANCELLED);
      g_assert_null (f->end_url);
      /* The gateway has not heard of it: the status check says so. */
      assert_gateway_status (f->reference, "pending");
    }
}

static void
test_timeout (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(PdPaymentOutcome) outcome = initialize_payment (f, "cybersource", "4111111111111111");
  gint64 started;

  pd_challenge_view_set_timeout (f->view, 1);
  started = g_get_monotonic_time ();
  start_payment (f, outcome);
  wait_finished (f);
  g_assert_cmpint (f->end, ==, PD_CHALLENGE_END_TIMED_OUT);
  g_assert_null (f->end_url);
  /* g_timeout_add_seconds() may round the first second down, never to nothing. */
  g_assert_cmpint (g_get_monotonic_time () - started, >=, G_USEC_PER_SEC / 2);
}

/* The return and cancel addresses on the sandbox itself: if the view let
 * either through, the sandbox would see it. Both providers, both ends. */
static void
test_never_loaded (Fixture       *f,
                   gconstpointer  data)
{
  static const struct { const char *provider, *card, *code; PdChallengeEnd end; } cases[] = {
    { "mpgs", "4242424242424242", "1234", PD_CHALLENGE_END_RETURN_URL },
    { "mpgs", "4242424242424242", "0000", PD_CHALLENGE_END_CANCEL_URL },
    { "cybersource", "4111111111111111", "1234", PD_CHALLENGE_END_RETURN_URL },
    { "cybersource", "4111111111111111", "0000", PD_CHALLENGE_END_CANCEL_URL },
  };
  g_autofree char *return_base = g_strconcat (pd_test_sandbox_origin (sb), "/paydesk/return/", NULL);
  g_autofree char *cancel_base = g_strconcat (pd_test_sandbox_origin (sb), "/paydesk/cancel/", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(PdPaymentOutcome) outcome = NULL;

      g_clear_pointer (&f->order_id, g_free);
      g_clear_pointer (&f->reference, g_free);
      g_clear_pointer (&f->return_url, g_free);
      g_clear_pointer (&f->cancel_url, g_free);
      g_ptr_array_set_size (f->uris, 0);
      outcome = initialize_payment_with (f, cases[i].provider, cases[i].card, return_base, cancel_base);
      pd_test_sandbox_clear_requests (sb);

      start_payment (f, outcome);
      wait_for_acs (f);
      answer_acs (f, cases[i].code, "submit");
      wait_finished (f);
      assert_intercepted (f, cases[i].end,
                          cases[i].end == PD_CHALLENGE_END_RETURN_URL ? f->return_url : f->cancel_url);
      /* The ACS's answer was the redirect; what it pointed to was never asked for. */
      g_assert_cmpuint (sandbox_requests ("/pesogate/3ds/acs/complete"), ==, 1);
      spin (200);
      g_assert_cmpuint (sandbox_requests ("/paydesk/"), ==, 0);
    }
}

/* An address that only mentions the return URL is an ordinary page; one
 * that spells it differently (escapes, case of the host) is the return URL. */
static void
test_lookalike (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *base_uri = g_strconcat (pd_test_sandbox_origin (sb), "/", NULL);
  g_autoptr(GUri) origin = g_uri_parse (pd_test_sandbox_origin (sb), G_URI_FLAGS_NONE, NULL);
  g_autofree char *mention = NULL;
  g_autofree char *spelled = NULL;
  g_autofree char *script = NULL;
  g_autoptr(PdPaymentOutcome) outcome = html_outcome ("<title>ACS</title>", base_uri);
  int port = g_uri_get_port (origin);

  f->return_url = g_strdup_printf ("http://localhost:%d/paydesk/return/LOOK-1", port);
  f->cancel_url = g_strdup_printf ("http://localhost:%d/paydesk/cancel/LOOK-1", port);
  f->reference = g_strdup ("r1");

  pd_test_sandbox_clear_requests (sb);
  start_payment (f, outcome);
  WAIT_FOR (f->n_loaded > 0);
  mention = g_strdup_printf ("%s/pesogate/3ds/result/none?next=%s", pd_test_sandbox_origin (sb), f->return_url);
  script = g_strdup_printf ("location.href = '%s'; 'ok'", mention);
  g_free (eval_js (f->web_view, script));
  WAIT_FOR (has_committed (f, mention));
  g_assert_true (pd_challenge_view_get_active (f->view));
  g_assert_cmpuint (sandbox_requests ("/pesogate/3ds/result/none"), ==, 1);

  spelled = g_strdup_printf ("HTTP://LocalHost.:%d/paydesk/%%72eturn/LOOK-1?reference=r1", port);
  g_clear_pointer (&script, g_free);
  script = g_strdup_printf ("location.href = '%s'; 'ok'", spelled);
  g_free (eval_js (f->web_view, script));
  wait_finished (f);
  g_assert_cmpint (f->end, ==, PD_CHALLENGE_END_RETURN_URL);
  g_assert_nonnull (strstr (f->end_url, "reference=r1"));
  g_test_message ("intercepted as the return URL: %s", f->end_url);
}

/* A popup opens in the same view, and a popup to the return address is
 * intercepted like any navigation. */
static void
test_popup (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *base_uri = g_strconcat (pd_test_sandbox_origin (sb), "/", NULL);
  g_autofree char *target = g_strconcat (pd_test_sandbox_origin (sb), "/pesogate/3ds/result/00000000-0000-4000-8000-000000000001", NULL);
  g_autofree char *html = NULL;
  g_autoptr(PdPaymentOutcome) outcome = NULL;
  g_autoptr(PdPaymentOutcome) outcome2 = NULL;

  f->return_url = g_strdup (RETURN_BASE "POPUP-1");
  f->cancel_url = g_strdup (CANCEL_BASE "POPUP-1");
  f->reference = g_strdup ("r1");

  html = g_strdup_printf ("<a id=\"popup\" href=\"%s\" target=\"_blank\">Help</a>", target);
  outcome = html_outcome (html, base_uri);
  pd_test_sandbox_clear_requests (sb);
  start_payment (f, outcome);
  WAIT_FOR (f->n_loaded > 0);
  g_free (eval_js (f->web_view, "document.getElementById ('popup').click (); 'ok'"));
  WAIT_FOR (has_committed (f, target));
  g_assert_cmpuint (sandbox_requests ("/pesogate/3ds/result/"), ==, 1);
  g_assert_true (pd_challenge_view_get_active (f->view));
  g_assert_cmpuint (f->n_finished, ==, 0);
  /* Still the one window. */
  {
    GListModel *toplevels = gtk_window_get_toplevels ();

    g_assert_cmpuint (g_list_model_get_n_items (toplevels), ==, 1);
  }

  g_clear_pointer (&html, g_free);
  html = g_strdup_printf ("<a id=\"popup\" href=\"%s?reference=r1\" target=\"_blank\">Done</a>", f->return_url);
  outcome2 = html_outcome (html, base_uri);
  start_payment (f, outcome2);
  WAIT_FOR (f->n_loaded > 0);
  g_free (eval_js (f->web_view, "document.getElementById ('popup').click (); 'ok'"));
  wait_finished (f);
  assert_intercepted (f, PD_CHALLENGE_END_RETURN_URL, f->return_url);
}

typedef struct
{
  guint started;
  guint cancelled;
} DownloadWatch;

static void
on_download_failed (WebKitDownload *download,
                    GError         *error,
                    DownloadWatch  *watch)
{
  if (g_error_matches (error, WEBKIT_DOWNLOAD_ERROR, WEBKIT_DOWNLOAD_ERROR_CANCELLED_BY_USER))
    watch->cancelled++;
}

static void
on_created_destination (WebKitDownload *download,
                        const char     *destination,
                        gpointer        user_data)
{
  g_error ("a download was written to %s", destination);
}

static void
on_download_started (WebKitNetworkSession *session,
                     WebKitDownload       *download,
                     DownloadWatch        *watch)
{
  watch->started++;
  g_signal_connect (download, "failed", G_CALLBACK (on_download_failed), watch);
  g_signal_connect (download, "created-destination", G_CALLBACK (on_created_destination), NULL);
}

static gboolean
dir_is_empty (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);

  return dir == NULL || g_dir_read_name (dir) == NULL;
}

/* Nothing is ever downloaded: an attachment, a file WebKit cannot show,
 * or an <a download> link. */
static void
test_download (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *base_uri = g_strconcat (web_origin, "/", NULL);
  g_autofree char *html = NULL;
  g_autoptr(PdPaymentOutcome) outcome = NULL;
  DownloadWatch watch = { 0, 0 };
  g_autofree char *title = NULL;

  f->return_url = g_strdup (RETURN_BASE "DL-1");
  f->cancel_url = g_strdup (CANCEL_BASE "DL-1");
  html = g_strdup_printf ("<title>ACS</title>"
                          "<iframe id=\"frame\" src=\"%s/attachment\"></iframe>"
                          "<a id=\"save\" href=\"data:text/plain,receipt\" download=\"receipt.txt\">Save</a>",
                          web_origin);
  outcome = html_outcome (html, base_uri);
  web_requests = 0;
  start_payment (f, outcome);
  g_signal_connect (webkit_web_view_get_network_session (f->web_view), "download-started",
                    G_CALLBACK (on_download_started), &watch);
  WAIT_FOR (f->n_loaded > 0);
  WAIT_FOR (web_requests >= 1);

  /* A link with a download attribute: refused at once if it gets that far. */
  g_free (eval_js (f->web_view, "document.getElementById ('save').click (); 'ok'"));
  spin (500);
  g_test_message ("downloads started: %u, cancelled: %u", watch.started, watch.cancelled);
  WAIT_FOR (watch.cancelled == watch.started);

  /* The top frame asked for a binary file: nothing happens, the page stays. */
  g_free (eval_js (f->web_view, "location.href = '/binary'; 'ok'"));
  WAIT_FOR (web_requests >= 2);
  spin (500);
  title = eval_js (f->web_view, "document.title");
  g_assert_cmpstr (title, ==, "ACS");
  g_assert_true (g_str_has_prefix (webkit_web_view_get_uri (f->web_view), web_origin));
  g_assert_false (g_str_has_suffix (webkit_web_view_get_uri (f->web_view), "/binary"));

  g_assert_true (pd_challenge_view_get_active (f->view));
  g_assert_true (dir_is_empty (download_dir));
  g_signal_handlers_disconnect_by_data (webkit_web_view_get_network_session (f->web_view), &watch);
  pd_challenge_view_cancel (f->view);
  wait_finished (f);
}

/* file: and other schemes are refused, from the page and from outside. */
static void
test_file_refused (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *base_uri = g_strconcat (pd_test_sandbox_origin (sb), "/", NULL);
  g_autofree char *file_uri = g_filename_to_uri (download_dir, NULL, NULL);
  g_autofree char *html = NULL;
  g_autofree char *title = NULL;
  g_autoptr(PdPaymentOutcome) outcome = NULL;
  static const char * const outside[] = { "file:///etc/hostname", "javascript:alert(1)", "ftp://127.0.0.1/x", "about:config" };

  f->return_url = g_strdup (RETURN_BASE "FILE-1");
  f->cancel_url = g_strdup (CANCEL_BASE "FILE-1");
  html = g_strdup_printf ("<title>ACS</title><a id=\"link\" href=\"%s\">Files</a>", file_uri);
  outcome = html_outcome (html, base_uri);
  start_payment (f, outcome);
  WAIT_FOR (f->n_loaded > 0);

  /* A link, then a script: the page stays, no file: address is ever committed. */
  g_free (eval_js (f->web_view, "document.getElementById ('link').click (); 'ok'"));
  spin (300);
  /* The iframe never showed the directory. */
  g_free (eval_js (f->web_view, "location.href = 'file:///etc/hostname'; 'ok'"));
  spin (500);
  title = eval_js (f->web_view, "document.title");
  g_assert_cmpstr (title, ==, "ACS");
  for (guint i = 0; i < f->uris->len; i++)
    g_assert_false (g_str_has_prefix (g_ptr_array_index (f->uris, i), "file:"));
  g_assert_true (pd_challenge_view_get_active (f->view));

  /* A redirect_url that is not on the web is not loaded at all. */
  for (guint i = 0; i < G_N_ELEMENTS (outside); i++)
    {
      g_autoptr(PdPaymentOutcome) bad = redirect_outcome (outside[i]);

      start_payment (f, bad);
      wait_finished (f);
      g_assert_cmpint (f->end, ==, PD_CHALLENGE_END_LOAD_FAILED);
      g_assert_nonnull (pd_challenge_view_get_failure_message (f->view));
      for (guint j = 0; j < f->uris->len; j++)
        g_assert_false (g_str_has_prefix (g_ptr_array_index (f->uris, j), "file:"));
    }
}

static void
test_load_failed (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GInetSocketAddress) bound = NULL;
  g_autoptr(PdPaymentOutcome) outcome = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  GtkWidget *failure;

  /* A loopback port that nobody listens on. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  address = g_inet_socket_address_new (loopback, 0);
  g_assert_true (g_socket_bind (socket, address, FALSE, &error));
  g_assert_no_error (error);
  bound = G_INET_SOCKET_ADDRESS (g_socket_get_local_address (socket, &error));
  g_assert_no_error (error);
  url = g_strdup_printf ("http://127.0.0.1:%u/acs", g_inet_socket_address_get_port (bound));

  f->return_url = g_strdup (RETURN_BASE "FAIL-1");
  f->cancel_url = g_strdup (CANCEL_BASE "FAIL-1");
  outcome = redirect_outcome (url);
  start_payment (f, outcome);
  wait_finished (f);
  g_assert_cmpint (f->end, ==, PD_CHALLENGE_END_LOAD_FAILED);
  g_assert_null (f->end_url);
  g_assert_nonnull (pd_challenge_view_get_failure_message (f->view));
  g_test_message ("failure: %s", pd_challenge_view_get_failure_message (f->view));
  /* The view says why, until the next start. */
  failure = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (f->view), PD_TYPE_CHALLENGE_VIEW, "failure_page"));
  g_assert_true (gtk_widget_get_mapped (failure));
  g_assert_cmpstr (adw_status_page_get_description (ADW_STATUS_PAGE (failure)), ==,
                   pd_challenge_view_get_failure_message (f->view));
}

/* The page's process dies: the challenge ends, and says so. */
static void
test_page_crashed (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(PdPaymentOutcome) outcome = initialize_payment (f, "cybersource", "4111111111111111");

  start_payment (f, outcome);
  wait_for_acs (f);
  webkit_web_view_terminate_web_process (f->web_view);
  wait_finished (f);
  g_assert_cmpint (f->end, ==, PD_CHALLENGE_END_LOAD_FAILED);
  g_assert_nonnull (pd_challenge_view_get_failure_message (f->view));
}

/* A certificate nobody trusts: the page fails, the certificate is never accepted. */
static void
test_tls_error (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *url = g_strconcat (tls_origin, "/acs", NULL);
  g_autoptr(PdPaymentOutcome) outcome = redirect_outcome (url);
  const char *message;

  f->return_url = g_strdup (RETURN_BASE "TLS-1");
  f->cancel_url = g_strdup (CANCEL_BASE "TLS-1");
  web_requests = 0;
  start_payment (f, outcome);
  wait_finished (f);
  g_assert_cmpint (f->end, ==, PD_CHALLENGE_END_LOAD_FAILED);
  message = pd_challenge_view_get_failure_message (f->view);
  g_assert_nonnull (message);
  g_test_message ("failure: %s", message);
  g_assert_nonnull (strstr (message, "127.0.0.1"));
  g_assert_nonnull (strstr (message, "not secure"));
  /* No request got through the handshake. */
  g_assert_cmpuint (web_requests, ==, 0);
  take_screenshot ("failure.png");
}

/* A second start ends the first (one "finished" each), with a new session. */
static void
test_restart (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(PdPaymentOutcome) first = initialize_payment (f, "cybersource", "4111111111111111");
  g_autoptr(PdPaymentOutcome) second = NULL;
  g_autoptr(WebKitWebView) first_view = NULL;
  g_autoptr(WebKitNetworkSession) first_session = NULL;

  start_payment (f, first);
  first_view = g_object_ref (f->web_view);
  first_session = g_object_ref (webkit_web_view_get_network_session (first_view));
  wait_for_acs (f);

  g_clear_pointer (&f->order_id, g_free);
  g_clear_pointer (&f->reference, g_free);
  g_clear_pointer (&f->return_url, g_free);
  g_clear_pointer (&f->cancel_url, g_free);
  second = initialize_payment (f, "mpgs", "4242424242424242");
  f->n_finished = 0;
  pd_challenge_view_start (f->view, second, f->return_url, f->cancel_url, "US$42.50", "Visa •••• 4242", "Corner Bakery");
  g_assert_cmpuint (f->n_finished, ==, 1);
  g_assert_cmpint (f->end, ==, PD_CHALLENGE_END_CANCELLED);
  g_assert_true (pd_challenge_view_get_active (f->view));
  g_assert_true (GTK_WIDGET (first_view) != pd_challenge_view_get_web_view (f->view));
  g_assert_true (first_session != webkit_web_view_get_network_session (WEBKIT_WEB_VIEW (pd_challenge_view_get_web_view (f->view))));
  /* The first page is gone from the screen and its view left the widget tree. */
  g_assert_null (gtk_widget_get_parent (GTK_WIDGET (first_view)));

  forget_web_view (f);
  f->n_finished = 0;
  f->web_view = WEBKIT_WEB_VIEW (g_object_ref (pd_challenge_view_get_web_view (f->view)));
  wait_for_acs (f);
  answer_acs (f, "1234", "submit");
  wait_finished (f);
  g_assert_cmpint (f->end, ==, PD_CHALLENGE_END_RETURN_URL);
  assert_gateway_status (f->reference, "completed");
}

static void
count_finished (PdChallengeView *view,
                PdChallengeEnd   end,
                const char      *url,
                guint           *n_finished)
{
  (*n_finished)++;
}

/* Destroying the view mid-challenge emits nothing, ever: not from its
 * timer, not from the page's answer, not from an end already under way. */
static void
test_dispose (Fixture       *f,
              gconstpointer  data)
{
  static const char * const cases[] = { "timer", "page", "ending" };
  g_autoptr(PdPaymentOutcome) outcome = initialize_payment (f, "mpgs", "4242424242424242");

  gtk_window_set_child (f->window, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      PdChallengeView *view = g_object_ref_sink (pd_challenge_view_new ());
      g_autoptr(WebKitWebView) web_view = NULL;
      guint n_finished = 0;

      g_test_message ("disposed with its %s pending", cases[i]);
      g_signal_connect (view, "finished", G_CALLBACK (count_finished), &n_finished);
      gtk_window_set_child (f->window, GTK_WIDGET (view));
      if (g_str_equal (cases[i], "timer"))
        pd_challenge_view_set_timeout (view, 1);
      pd_challenge_view_start (view, outcome, f->return_url, f->cancel_url, "US$42.50", NULL, NULL);
      web_view = g_object_ref (WEBKIT_WEB_VIEW (pd_challenge_view_get_web_view (view)));

      if (g_str_equal (cases[i], "page"))
        {
          g_autofree char *value = NULL;

          wait_for_js (web_view, "!!" ACS_DOC ".getElementById ('otp')");
          /* The code goes in a moment from now, once the view is gone. */
          value = eval_js (web_view, "var d = " ACS_DOC ";"
                                     "d.getElementById ('otp').value = '1234';"
                                     "setTimeout (function () { d.querySelector ('button[value=submit]').click (); }, 200);"
                                     "'later'");
          g_assert_cmpstr (value, ==, "later");
        }
      else if (g_str_equal (cases[i], "ending"))
        pd_challenge_view_cancel (view);

      gtk_window_set_child (f->window, NULL);
      g_object_run_dispose (G_OBJECT (view));
      g_assert_null (gtk_widget_get_parent (GTK_WIDGET (web_view)));
      spin (1500);
      g_assert_cmpuint (n_finished, ==, 0);
      g_assert_finalize_object (view);
    }
}

static gboolean
have_xdotool (void)
{
  g_autofree char *path = g_find_program_in_path ("xdotool");

  return g_getenv ("DISPLAY") != NULL && path != NULL;
}

static void
run_xdotool (const char * const *args)
{
  g_autoptr(GError) error = NULL;
  int wait_status = 0;

  g_spawn_sync (NULL, (char **) args, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (wait_status, NULL));
}

/* Gives the test's window the keyboard (there is no window manager), and
 * lets the page see that before anything is typed. */
static void
focus_window_with_xdotool (void)
{
  static const char * const focus[] = { "xdotool", "search", "--name", "^Paydesk challenge test$",
                                        "windowfocus", "--sync", NULL };

  run_xdotool (focus);
  spin (300);
}

/* As the merchant does it: no mouse, the code typed on the keyboard into
 * the page that has focus, Enter; and Escape with focus in the page. */
static void
test_keyboard (Fixture       *f,
               gconstpointer  data)
{
  static const char * const type_code[] = { "xdotool", "type", "--delay", "50", "1234", NULL };
  static const char * const enter[] = { "xdotool", "key", "Return", NULL };
  static const char * const escape[] = { "xdotool", "key", "Escape", NULL };
  g_autoptr(PdPaymentOutcome) outcome = NULL;
  g_autoptr(PdPaymentOutcome) second = NULL;

  if (!have_xdotool ())
    {
      g_test_skip ("needs xdotool and an X display");
      return;
    }

  outcome = initialize_payment (f, "mpgs", "4242424242424242");
  start_payment (f, outcome);
  wait_for_acs (f);
  focus_window_with_xdotool ();
  /* The ACS input has autofocus: the caret is there without a click. */
  wait_for_js (f->web_view, "var d = " ACS_DOC "; d.hasFocus () && d.activeElement.id == 'otp'");
  run_xdotool (type_code);
  wait_for_js (f->web_view, ACS_DOC ".getElementById ('otp').value == '1234'");
  run_xdotool (enter);
  wait_finished (f);
  assert_intercepted (f, PD_CHALLENGE_END_RETURN_URL, f->return_url);
  assert_gateway_status (f->reference, "completed");

  g_clear_pointer (&f->order_id, g_free);
  g_clear_pointer (&f->reference, g_free);
  g_clear_pointer (&f->return_url, g_free);
  g_clear_pointer (&f->cancel_url, g_free);
  second = initialize_payment (f, "cybersource", "4111111111111111");
  start_payment (f, second);
  wait_for_acs (f);
  focus_window_with_xdotool ();
  /* Escape reaches the page first; the view's binding still gets it. */
  wait_for_js (f->web_view, "document.hasFocus () && document.activeElement.id == 'otp'");
  run_xdotool (escape);
  wait_finished (f);
  g_assert_cmpint (f->end, ==, PD_CHALLENGE_END_CANCELLED);
}

/* The challenge window is 600×400 when there is room, centred, and all
 * there is when the window is smaller. */
static void
test_size (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(PdPaymentOutcome) outcome = initialize_payment (f, "cybersource", "4111111111111111");
  GtkWindow *small;
  PdChallengeView *view;
  GtkWidget *web_view;
  graphene_rect_t bounds;

  start_payment (f, outcome);
  wait_for_acs (f);
  WAIT_FOR (gtk_widget_get_width (GTK_WIDGET (f->web_view)) == 600);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (f->web_view)), ==, 400);
  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (f->web_view), GTK_WIDGET (f->window), &bounds));
  g_assert_cmpfloat_with_epsilon (bounds.origin.x + bounds.size.width / 2,
                                  gtk_widget_get_width (GTK_WIDGET (f->window)) / 2.0, 1.0);
  pd_challenge_view_cancel (f->view);
  wait_finished (f);

  small = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (small, 420, 520);
  view = pd_challenge_view_new ();
  gtk_window_set_child (small, GTK_WIDGET (view));
  gtk_window_present (small);
  pd_challenge_view_start (view, outcome, f->return_url, f->cancel_url, "US$42.50", NULL, NULL);
  web_view = pd_challenge_view_get_web_view (view);
  WAIT_FOR (gtk_widget_get_width (web_view) > 0);
  g_assert_cmpint (gtk_widget_get_width (web_view), <, 420);
  g_assert_cmpint (gtk_widget_get_width (web_view), >=, 250);
  g_assert_cmpint (gtk_widget_get_height (web_view), <=, 400);
  g_assert_cmpint (gtk_widget_get_height (web_view), >=, 250);
  wait_for_js (WEBKIT_WEB_VIEW (web_view), "!!" ACS_DOC ".getElementById ('otp')");
  take_screenshot ("challenge-small.png");
  gtk_window_destroy (small);
}

/* Test servers ---------------------------------------------------------------- */

static void
serve (SoupServer        *server,
       SoupServerMessage *msg,
       const char        *path,
       GHashTable        *query,
       gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  web_requests++;
  if (g_str_equal (path, "/attachment"))
    {
      soup_message_headers_set_content_disposition (headers, "attachment",
                                                    g_hash_table_new (g_str_hash, g_str_equal));
      soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "receipt", 7);
    }
  else if (g_str_equal (path, "/binary"))
    soup_server_message_set_response (msg, "application/octet-stream", SOUP_MEMORY_STATIC, "\x01\x02\x03", 3);
  else
    soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC,
                                      "<title>ACS</title><p>page</p>", 29);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
}

static SoupServer *
start_web_server (GTlsCertificate  *certificate,
                  char            **origin)
{
  g_autoptr(GError) error = NULL;
  SoupServer *server = soup_server_new ("tls-certificate", certificate, NULL);
  GSList *uris;
  g_autofree char *text = NULL;

  soup_server_add_handler (server, NULL, serve, NULL, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY |
                            (certificate != NULL ? SOUP_SERVER_LISTEN_HTTPS : 0), &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  text = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  /* "http://127.0.0.1:port/" without its slash */
  text[strlen (text) - 1] = '\0';
  *origin = g_steal_pointer (&text);
  return server;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);

        remove_tree (child);
      }
  g_remove (path);
}

int
main (int    argc,
      char **argv)
{
  static const char * const xdg_dirs[][2] = {
    { "HOME", "home" },
    { "XDG_CONFIG_HOME", "config" },
    { "XDG_DATA_HOME", "data" },
    { "XDG_CACHE_HOME", "cache" },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  int status;

  /* Before anything reads them: nothing may land in the real home. */
  tmp_root = g_dir_make_tmp ("paydesk-challenge-XXXXXX", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (xdg_dirs); i++)
    {
      g_autofree char *dir = g_build_filename (tmp_root, xdg_dirs[i][1], NULL);

      g_mkdir_with_parents (dir, 0700);
      g_setenv (xdg_dirs[i][0], dir, TRUE);
    }
  download_dir = g_build_filename (tmp_root, "home", "Downloads", NULL);
  g_mkdir_with_parents (download_dir, 0700);
  {
    g_autofree char *user_dirs = g_build_filename (tmp_root, "config", "user-dirs.dirs", NULL);
    g_autofree char *line = g_strdup_printf ("XDG_DOWNLOAD_DIR=\"%s\"\n", download_dir);

    g_file_set_contents (user_dirs, line, -1, &error);
    g_assert_no_error (error);
  }

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  paydesk_register_resource ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  sb = pd_test_sandbox_start (FALSE, 0);
  web_server = start_web_server (NULL, &web_origin);
  certificate = g_tls_certificate_new_from_pem (test_certificate, -1, &error);
  g_assert_no_error (error);
  tls_server = start_web_server (certificate, &tls_origin);

#define ADD(path, func) g_test_add ((path), Fixture, NULL, fixture_set_up, (func), fixture_tear_down)
  ADD ("/pd/challenge-view/mpgs/success", test_mpgs_success);
  ADD ("/pd/challenge-view/cybersource/success", test_cybersource_success);
  ADD ("/pd/challenge-view/wrong-code", test_wrong_code);
  ADD ("/pd/challenge-view/page-cancel", test_page_cancel);
  ADD ("/pd/challenge-view/cancel", test_cancel);
  ADD ("/pd/challenge-view/timeout", test_timeout);
  ADD ("/pd/challenge-view/never-loaded", test_never_loaded);
  ADD ("/pd/challenge-view/lookalike", test_lookalike);
  ADD ("/pd/challenge-view/popup", test_popup);
  ADD ("/pd/challenge-view/download", test_download);
  ADD ("/pd/challenge-view/file-refused", test_file_refused);
  ADD ("/pd/challenge-view/load-failed", test_load_failed);
  ADD ("/pd/challenge-view/tls-error", test_tls_error);
  ADD ("/pd/challenge-view/page-crashed", test_page_crashed);
  ADD ("/pd/challenge-view/restart", test_restart);
  ADD ("/pd/challenge-view/dispose", test_dispose);
  ADD ("/pd/challenge-view/size", test_size);
  ADD ("/pd/challenge-view/keyboard", test_keyboard);
#undef ADD

  status = g_test_run ();

  g_clear_object (&web_server);
  g_clear_object (&tls_server);
  g_free (web_origin);
  g_free (tls_origin);
  pd_test_sandbox_stop (sb);
  remove_tree (tmp_root);
  g_free (tmp_root);
  g_free (download_dir);
  return status;
}
