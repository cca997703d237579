/* pd-challenge-view.c: the bank's 3-D Secure challenge, in an isolated WebKitGTK view
 *
 * Every challenge gets a new WebKitWebView on a new ephemeral network
 * session (nothing on disk), dropped when the challenge ends. The page may
 * run scripts and iframes, as an ACS needs, but cannot reach files, open
 * windows, download, or leave http(s). A navigation to the transaction's
 * return_url or cancel_url, in any frame, is refused before any request
 * (so those addresses never reach DNS) and ends the challenge: the caller
 * then asks the gateway for the status, which is the truth.
 */
#define G_LOG_DOMAIN "pd-challenge-view"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <webkit/webkit.h>

#include "pd-challenge-view.h"

/* An EMV 3-D Secure challenge window: 600×400 CSS pixels at most, and
 * never smaller than the smallest one EMVCo defines, 250 wide. */
#define CHALLENGE_WIDTH      600
#define CHALLENGE_HEIGHT     400
#define CHALLENGE_MIN_WIDTH  250
#define CHALLENGE_MIN_HEIGHT 250

struct _PdChallengeView
{
  GtkWidget             parent_instance;

  GtkWidget            *box;  /* bound so that dispose_template unparents it */
  GtkLabel             *amount_label;
  GtkLabel             *details_label;
  GtkLabel             *note_label;
  GtkStack             *stack;
  AdwBin               *web_frame;
  AdwStatusPage        *failure_page;
  GtkWidget            *cancel_button;

  /* Both NULL when no challenge is shown. */
  WebKitWebView        *web_view;
  WebKitNetworkSession *network_session;

  GUri                 *return_uri;
  GUri                 *cancel_uri;
  char                 *failure_message;

  guint                 timeout_seconds;
  guint                 timeout_id;

  /* Set between the end of a challenge and its "finished" signal. */
  guint                 finish_id;
  PdChallengeEnd        end;
  char                 *end_url;

  gboolean              active;
};

G_DEFINE_FINAL_TYPE (PdChallengeView, pd_challenge_view, GTK_TYPE_WIDGET)

G_DEFINE_ENUM_TYPE (PdChallengeEnd, pd_challenge_end,
  G_DEFINE_ENUM_VALUE (PD_CHALLENGE_END_RETURN_URL, "return-url"),
  G_DEFINE_ENUM_VALUE (PD_CHALLENGE_END_CANCEL_URL, "cancel-url"),
  G_DEFINE_ENUM_VALUE (PD_CHALLENGE_END_CANCELLED, "cancelled"),
  G_DEFINE_ENUM_VALUE (PD_CHALLENGE_END_TIMED_OUT, "timed-out"),
  G_DEFINE_ENUM_VALUE (PD_CHALLENGE_END_LOAD_FAILED, "load-failed"))

enum {
  PROP_0,
  PROP_ACTIVE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  FINISHED,
  LOADED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* URLs ---------------------------------------------------------------------- */

static GUri *
parse_uri (const char *text)
{
  if (text == NULL)
    return NULL;
  return g_uri_parse (text,
                      G_URI_FLAGS_ENCODED | G_URI_FLAGS_PARSE_RELAXED | G_URI_FLAGS_SCHEME_NORMALIZE,
                      NULL);
}

static gboolean
is_web_scheme (const char *scheme)
{
  return scheme != NULL &&
         (g_ascii_strcasecmp (scheme, "https") == 0 || g_ascii_strcasecmp (scheme, "http") == 0);
}

static gboolean
is_web_url (const char *text)
{
  g_autoptr(GUri) uri = parse_uri (text);

  return uri != NULL && is_web_scheme (g_uri_get_scheme (uri)) &&
         g_uri_get_host (uri) != NULL && g_uri_get_host (uri)[0] != '\0';
}

/* The host in ASCII, lower case, without a trailing dot, so that
 * "PayDesk.Invalid." and "paydesk.invalid" compare equal. */
static char *
normalize_host (GUri *uri)
{
  const char *host = g_uri_get_host (uri);
  g_autofree char *ascii = NULL;
  gsize len;

  if (host == NULL)
    return g_strdup ("");
  ascii = g_hostname_to_ascii (host);
  if (ascii == NULL)
    ascii = g_strdup (host);
  len = strlen (ascii);
  if (len > 0 && ascii[len - 1] == '.')
    ascii[len - 1] = '\0';
  return g_ascii_strdown (ascii, -1);
}

static gboolean
same_host (GUri *a,
           GUri *b)
{
  g_autofree char *host_a = normalize_host (a);
  g_autofree char *host_b = normalize_host (b);

  return g_str_equal (host_a, host_b);
}

/* The path with its escapes decoded, so that "/3ds/return/A%2D1" and
 * "/3ds/return/A-1" compare equal. */
static char *
decoded_path (GUri *uri)
{
  const char *path = g_uri_get_path (uri);
  char *decoded;

  if (path == NULL || path[0] == '\0')
    return g_strdup ("/");
  decoded = g_uri_unescape_string (path, NULL);
  return decoded != NULL ? decoded : g_strdup (path);
}

/* Whether @text starts with @target once both are normalised: same scheme,
 * host (any case) and port, @target's path a prefix of @text's, and
 * @target's query, if it has one, a prefix of @text's. */
static gboolean
uri_starts_with (const char *text,
                 GUri       *target)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *path = NULL;
  g_autofree char *target_path = NULL;
  const char *target_query;

  if (target == NULL || (uri = parse_uri (text)) == NULL)
    return FALSE;

  if (g_strcmp0 (g_uri_get_scheme (uri), g_uri_get_scheme (target)) != 0 ||
      g_uri_get_port (uri) != g_uri_get_port (target) ||
      !same_host (uri, target))
    return FALSE;

  path = decoded_path (uri);
  target_path = decoded_path (target);
  if (!g_str_has_prefix (path, target_path))
    return FALSE;

  target_query = g_uri_get_query (target);
  return target_query == NULL || target_query[0] == '\0' ||
         g_str_has_prefix (g_uri_get_query (uri) != NULL ? g_uri_get_query (uri) : "", target_query);
}

/* What a challenge page may open: the web, and the empty documents that
 * frames start with. Top-level data: pages are refused by WebKit itself
 * (allow-top-navigation-to-data-urls is off). file:, javascript:, blob:,
 * custom schemes: never. */
static gboolean
is_allowed_navigation (const char *text)
{
  g_autofree char *scheme = NULL;

  if (text == NULL)
    return FALSE;
  if (g_str_equal (text, "about:blank") || g_str_equal (text, "about:srcdoc"))
    return TRUE;
  scheme = g_uri_parse_scheme (text);
  return is_web_scheme (scheme) || g_strcmp0 (scheme, "data") == 0;
}

/* Ending --------------------------------------------------------------------- */

static void
set_active (PdChallengeView *self,
            gboolean         active)
{
  self->active = active;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "challenge.cancel", active);
  /* Once it is over there is nothing to type and nothing to cancel. */
  gtk_widget_set_visible (GTK_WIDGET (self->note_label), active);
  gtk_widget_set_visible (self->cancel_button, active);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
}

/* Drops the page, its web process and its network session. */
static void
drop_web_view (PdChallengeView *self)
{
  if (self->web_view == NULL)
    return;

  g_signal_handlers_disconnect_by_data (self->web_view, self);
  webkit_web_view_stop_loading (self->web_view);
  /* Whoever still holds the view (a test) sees an empty page, not the ACS. */
  webkit_web_view_load_uri (self->web_view, "about:blank");
  adw_bin_set_child (self->web_frame, NULL);
  g_clear_object (&self->web_view);
  g_clear_object (&self->network_session);
}

static void
emit_finished (PdChallengeView *self)
{
  g_autofree char *url = g_steal_pointer (&self->end_url);

  g_clear_handle_id (&self->finish_id, g_source_remove);
  drop_web_view (self);
  g_signal_emit (self, signals[FINISHED], 0, self->end, url);
}

static gboolean
finish_cb (gpointer user_data)
{
  PdChallengeView *self = user_data;

  self->finish_id = 0;
  emit_finished (self);
  return G_SOURCE_REMOVE;
}

/* Ends the challenge now: nothing more is loaded. The page is dropped and
 * "finished" emitted from the main loop, never from inside a WebKit signal
 * (the caller's handler may well start the next challenge). */
static void
end_challenge (PdChallengeView *self,
               PdChallengeEnd   end,
               const char      *url)
{
  if (!self->active)
    return;

  if (!g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN))
    {
      g_autofree char *name = g_enum_to_string (PD_TYPE_CHALLENGE_END, end);

      g_debug ("challenge ended: %s", name);
    }
  self->end = end;
  g_free (self->end_url);
  self->end_url = g_strdup (url);
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (self->web_view != NULL)
    webkit_web_view_stop_loading (self->web_view);
  if (end != PD_CHALLENGE_END_LOAD_FAILED)
    gtk_stack_set_visible_child_name (self->stack, "ended");
  set_active (self, FALSE);
  self->finish_id = g_idle_add (finish_cb, self);
}

static void
fail (PdChallengeView *self,
      const char      *message)
{
  g_free (self->failure_message);
  self->failure_message = g_strdup (message);
  adw_status_page_set_description (self->failure_page, message);
  gtk_stack_set_visible_child_name (self->stack, "failure");
  end_challenge (self, PD_CHALLENGE_END_LOAD_FAILED, NULL);
}

static char *
describe_tls_errors (GTlsCertificateFlags errors)
{
  if (errors & G_TLS_CERTIFICATE_UNKNOWN_CA)
    return g_strdup (_("its certificate is not signed by a trusted authority"));
  if (errors & G_TLS_CERTIFICATE_BAD_IDENTITY)
    return g_strdup (_("its certificate belongs to another site"));
  if (errors & G_TLS_CERTIFICATE_EXPIRED)
    return g_strdup (_("its certificate has expired"));
  if (errors & G_TLS_CERTIFICATE_NOT_ACTIVATED)
    return g_strdup (_("its certificate is not valid yet"));
  if (errors & G_TLS_CERTIFICATE_REVOKED)
    return g_strdup (_("its certificate has been revoked"));
  if (errors & G_TLS_CERTIFICATE_INSECURE)
    return g_strdup (_("its certificate uses insecure cryptography"));
  return g_strdup (_("its certificate could not be checked"));
}

/* The web view's signals ------------------------------------------------------ */

static void
decide_navigation (PdChallengeView      *self,
                   WebKitPolicyDecision *decision,
                   const char           *uri)
{
  if (!self->active)
    webkit_policy_decision_ignore (decision);
  else if (uri_starts_with (uri, self->return_uri))
    {
      webkit_policy_decision_ignore (decision);
      end_challenge (self, PD_CHALLENGE_END_RETURN_URL, uri);
    }
  else if (uri_starts_with (uri, self->cancel_uri))
    {
      webkit_policy_decision_ignore (decision);
      end_challenge (self, PD_CHALLENGE_END_CANCEL_URL, uri);
    }
  else if (!is_allowed_navigation (uri))
    {
      g_autofree char *scheme = uri != NULL ? g_uri_parse_scheme (uri) : NULL;

      g_debug ("refused a navigation to a %s: address", scheme != NULL ? scheme : "malformed");
      webkit_policy_decision_ignore (decision);
    }
  else
    webkit_policy_decision_use (decision);
}

static gboolean
is_attachment (WebKitURIResponse *response)
{
  SoupMessageHeaders *headers = webkit_uri_response_get_http_headers (response);
  g_autofree char *disposition = NULL;

  return headers != NULL &&
         soup_message_headers_get_content_disposition (headers, &disposition, NULL) &&
         g_ascii_strcasecmp (disposition, "attachment") == 0;
}

/* Downloads are refused: a response is shown in the page or not at all. */
static void
decide_response (PdChallengeView              *self,
                 WebKitResponsePolicyDecision *decision)
{
  WebKitURIResponse *response = webkit_response_policy_decision_get_response (decision);

  if (self->active &&
      webkit_response_policy_decision_is_mime_type_supported (decision) &&
      !is_attachment (response))
    webkit_policy_decision_use (WEBKIT_POLICY_DECISION (decision));
  else
    {
      g_debug ("refused a %s response that would be a download", webkit_uri_response_get_mime_type (response));
      webkit_policy_decision_ignore (WEBKIT_POLICY_DECISION (decision));
    }
}

static gboolean
on_decide_policy (WebKitWebView            *web_view,
                  WebKitPolicyDecision     *decision,
                  WebKitPolicyDecisionType  type,
                  PdChallengeView          *self)
{
  WebKitNavigationAction *action;

  switch (type)
    {
    case WEBKIT_POLICY_DECISION_TYPE_NAVIGATION_ACTION:
    case WEBKIT_POLICY_DECISION_TYPE_NEW_WINDOW_ACTION:
      /* Top frame and iframes alike: where the navigation happens does not matter. */
      action = webkit_navigation_policy_decision_get_navigation_action (WEBKIT_NAVIGATION_POLICY_DECISION (decision));
      decide_navigation (self, decision, webkit_uri_request_get_uri (webkit_navigation_action_get_request (action)));
      return TRUE;

    case WEBKIT_POLICY_DECISION_TYPE_RESPONSE:
      decide_response (self, WEBKIT_RESPONSE_POLICY_DECISION (decision));
      return TRUE;

    default:
      webkit_policy_decision_ignore (decision);
      return TRUE;
    }
}

/* A popup opens in the challenge's own view (its address passes the same
 * policy there); no second window is ever made. */
static GtkWidget *
on_create (WebKitWebView          *web_view,
           WebKitNavigationAction *action,
           PdChallengeView        *self)
{
  const char *uri = webkit_uri_request_get_uri (webkit_navigation_action_get_request (action));

  if (self->active && is_web_url (uri))
    webkit_web_view_load_uri (web_view, uri);
  return NULL;
}

static void
on_load_changed (WebKitWebView   *web_view,
                 WebKitLoadEvent  load_event,
                 PdChallengeView *self)
{
  if (load_event != WEBKIT_LOAD_FINISHED || !self->active)
    return;

  /* The merchant types the code the customer reads out, with no mouse. */
  gtk_widget_grab_focus (GTK_WIDGET (web_view));
  /* Challenge pages put the bank's form in an iframe (MPGS's challengeFrame):
   * the keyboard goes into it, where the form's autofocus field waits. */
  webkit_web_view_evaluate_javascript (web_view,
                                       "(function () { var f = document.querySelector ('iframe');"
                                       " if (f) f.focus (); }) ();",
                                       -1, NULL, NULL, NULL, NULL, NULL);
  g_signal_emit (self, signals[LOADED], 0);
}

/* The host of @uri, for messages, or @uri itself. */
static char *
host_for_message (const char *uri)
{
  g_autoptr(GUri) parsed = parse_uri (uri);

  if (parsed != NULL && g_uri_get_host (parsed) != NULL && g_uri_get_host (parsed)[0] != '\0')
    return g_strdup (g_uri_get_host (parsed));
  return g_strdup (uri != NULL ? uri : "");
}

static gboolean
on_load_failed (WebKitWebView   *web_view,
                WebKitLoadEvent  load_event,
                const char      *failing_uri,
                GError          *error,
                PdChallengeView *self)
{
  g_autofree char *host = NULL;
  g_autofree char *message = NULL;
  g_autofree char *scheme = NULL;

  /* Our own refusals and stops are not failures; after the end, nothing is. */
  if (!self->active ||
      g_error_matches (error, WEBKIT_POLICY_ERROR, WEBKIT_POLICY_ERROR_FRAME_LOAD_INTERRUPTED_BY_POLICY_CHANGE) ||
      g_error_matches (error, WEBKIT_NETWORK_ERROR, WEBKIT_NETWORK_ERROR_CANCELLED))
    return TRUE;

  host = host_for_message (failing_uri);
  scheme = failing_uri != NULL ? g_uri_parse_scheme (failing_uri) : NULL;
  /* WebKit reports some refused certificates as a bare cancelled load,
   * without load-failed-with-tls-errors. */
  if (g_strcmp0 (scheme, "https") == 0 &&
      (error->domain == G_TLS_ERROR || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)))
    {
      /* Translators: %s is a host name */
      message = g_strdup_printf (_("The bank’s verification page at %s is not secure: no trusted connection could be made."),
                                 host);
    }
  else
    {
      /* Translators: the first %s is a host name, the second the network's or WebKit's description of the error */
      message = g_strdup_printf (_("The bank’s verification page at %s could not be loaded: %s"), host, error->message);
    }
  fail (self, message);
  return TRUE;
}

static gboolean
on_load_failed_with_tls_errors (WebKitWebView        *web_view,
                                const char           *failing_uri,
                                GTlsCertificate      *certificate,
                                GTlsCertificateFlags  errors,
                                PdChallengeView      *self)
{
  g_autofree char *host = host_for_message (failing_uri);
  g_autofree char *problem = describe_tls_errors (errors);
  g_autofree char *message = NULL;

  if (!self->active)
    return TRUE;

  /* The certificate is never accepted: the challenge fails, and says why. */
  message = g_strdup_printf (/* Translators: the first %s is a host name, the second
                                 says what is wrong with its certificate */
                             _("The bank’s verification page at %s is not secure: %s."),
                             host, problem);
  fail (self, message);
  return TRUE;
}

static void
on_web_process_terminated (WebKitWebView                     *web_view,
                           WebKitWebProcessTerminationReason  reason,
                           PdChallengeView                   *self)
{
  if (self->active)
    fail (self, _("The bank’s verification page stopped working."));
}

static void
on_download_started (WebKitNetworkSession *session,
                     WebKitDownload       *download,
                     gpointer              user_data)
{
  g_debug ("refused a download");
  webkit_download_cancel (download);
}

static gboolean
on_context_menu (WebKitWebView       *web_view,
                 WebKitContextMenu   *context_menu,
                 WebKitHitTestResult *hit_test_result,
                 gpointer             user_data)
{
  /* No menu: it would offer to save, open in a new window, inspect. */
  return TRUE;
}

static gboolean
on_permission_request (WebKitWebView           *web_view,
                       WebKitPermissionRequest *request,
                       gpointer                 user_data)
{
  webkit_permission_request_deny (request);
  return TRUE;
}

static gboolean
on_run_file_chooser (WebKitWebView            *web_view,
                     WebKitFileChooserRequest *request,
                     gpointer                  user_data)
{
  webkit_file_chooser_request_cancel (request);
  return TRUE;
}

static gboolean
on_refused (WebKitWebView *web_view,
            gpointer       user_data)
{
  return TRUE;
}

static void
create_web_view (PdChallengeView *self)
{
  g_autoptr(WebKitWebsitePolicies) policies = NULL;
  WebKitSettings *settings;

  self->network_session = webkit_network_session_new_ephemeral ();
  webkit_network_session_set_tls_errors_policy (self->network_session, WEBKIT_TLS_ERRORS_POLICY_FAIL);
  g_signal_connect (self->network_session, "download-started", G_CALLBACK (on_download_started), NULL);

  policies = webkit_website_policies_new_with_policies ("autoplay", WEBKIT_AUTOPLAY_DENY, NULL);
  self->web_view = g_object_ref_sink (g_object_new (WEBKIT_TYPE_WEB_VIEW,
                                                    "network-session", self->network_session,
                                                    "website-policies", policies,
                                                    NULL));

  settings = webkit_web_view_get_settings (self->web_view);
  /* The ACS's auto-submitting form needs scripts; nothing else is needed. */
  webkit_settings_set_enable_javascript (settings, TRUE);
  webkit_settings_set_javascript_can_open_windows_automatically (settings, FALSE);
  webkit_settings_set_javascript_can_access_clipboard (settings, FALSE);
  webkit_settings_set_enable_developer_extras (settings, FALSE);
  webkit_settings_set_allow_file_access_from_file_urls (settings, FALSE);
  webkit_settings_set_allow_universal_access_from_file_urls (settings, FALSE);
  webkit_settings_set_allow_top_navigation_to_data_urls (settings, FALSE);
  webkit_settings_set_enable_back_forward_navigation_gestures (settings, FALSE);
  webkit_settings_set_enable_webgl (settings, FALSE);
  webkit_settings_set_enable_webaudio (settings, FALSE);
  webkit_settings_set_enable_media (settings, FALSE);
  webkit_settings_set_enable_media_stream (settings, FALSE);
  webkit_settings_set_enable_mediasource (settings, FALSE);
  webkit_settings_set_enable_encrypted_media (settings, FALSE);
  webkit_settings_set_enable_webrtc (settings, FALSE);
  webkit_settings_set_media_playback_requires_user_gesture (settings, TRUE);
  webkit_settings_set_enable_html5_database (settings, FALSE);
  webkit_settings_set_enable_html5_local_storage (settings, FALSE);
  webkit_settings_set_enable_page_cache (settings, FALSE);
  webkit_settings_set_enable_fullscreen (settings, FALSE);
  webkit_settings_set_hardware_acceleration_policy (settings, WEBKIT_HARDWARE_ACCELERATION_POLICY_NEVER);

  g_signal_connect (self->web_view, "decide-policy", G_CALLBACK (on_decide_policy), self);
  g_signal_connect (self->web_view, "create", G_CALLBACK (on_create), self);
  g_signal_connect (self->web_view, "load-changed", G_CALLBACK (on_load_changed), self);
  g_signal_connect (self->web_view, "load-failed", G_CALLBACK (on_load_failed), self);
  g_signal_connect (self->web_view, "load-failed-with-tls-errors", G_CALLBACK (on_load_failed_with_tls_errors), self);
  g_signal_connect (self->web_view, "web-process-terminated", G_CALLBACK (on_web_process_terminated), self);
  /* These hold no pointer to self, so they stay as long as the view. */
  g_signal_connect (self->web_view, "context-menu", G_CALLBACK (on_context_menu), NULL);
  g_signal_connect (self->web_view, "permission-request", G_CALLBACK (on_permission_request), NULL);
  g_signal_connect (self->web_view, "run-file-chooser", G_CALLBACK (on_run_file_chooser), NULL);
  g_signal_connect (self->web_view, "print", G_CALLBACK (on_refused), NULL);
  g_signal_connect (self->web_view, "enter-fullscreen", G_CALLBACK (on_refused), NULL);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->web_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Bank verification page"),
                                  -1);
  adw_bin_set_child (self->web_frame, GTK_WIDGET (self->web_view));
}

/* The challenge window's size ---------------------------------------------- */

static void
measure_web_frame (GtkWidget      *widget,
                   GtkOrientation  orientation,
                   int             for_size,
                   int            *minimum,
                   int            *natural,
                   int            *minimum_baseline,
                   int            *natural_baseline)
{
  gboolean horizontal = orientation == GTK_ORIENTATION_HORIZONTAL;

  *minimum = horizontal ? CHALLENGE_MIN_WIDTH : CHALLENGE_MIN_HEIGHT;
  *natural = horizontal ? CHALLENGE_WIDTH : CHALLENGE_HEIGHT;
}

static void
allocate_web_frame (GtkWidget *widget,
                    int        width,
                    int        height,
                    int        baseline)
{
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));

  if (child != NULL && gtk_widget_should_layout (child))
    gtk_widget_allocate (child, width, height, -1, NULL);
}

/* GObject -------------------------------------------------------------------- */

static void
cancel_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  pd_challenge_view_cancel (PD_CHALLENGE_VIEW (widget));
}

static void
pd_challenge_view_dispose (GObject *object)
{
  PdChallengeView *self = PD_CHALLENGE_VIEW (object);

  /* Nothing is emitted from here on. */
  self->active = FALSE;
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_clear_handle_id (&self->finish_id, g_source_remove);
  drop_web_view (self);

  gtk_widget_dispose_template (GTK_WIDGET (object), PD_TYPE_CHALLENGE_VIEW);

  G_OBJECT_CLASS (pd_challenge_view_parent_class)->dispose (object);
}

static void
pd_challenge_view_finalize (GObject *object)
{
  PdChallengeView *self = PD_CHALLENGE_VIEW (object);

  g_clear_pointer (&self->return_uri, g_uri_unref);
  g_clear_pointer (&self->cancel_uri, g_uri_unref);
  g_free (self->failure_message);
  g_free (self->end_url);

  G_OBJECT_CLASS (pd_challenge_view_parent_class)->finalize (object);
}

static void
pd_challenge_view_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  PdChallengeView *self = PD_CHALLENGE_VIEW (object);

  switch (prop_id)
    {
    case PROP_ACTIVE:
      g_value_set_boolean (value, self->active);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_challenge_view_class_init (PdChallengeViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pd_challenge_view_dispose;
  object_class->finalize = pd_challenge_view_finalize;
  object_class->get_property = pd_challenge_view_get_property;

  /**
   * PdChallengeView:active:
   *
   * Whether a challenge is under way (started and not yet ended).
   */
  properties[PROP_ACTIVE] =
    g_param_spec_boolean ("active", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[FINISHED] =
    g_signal_new ("finished",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2,
                  PD_TYPE_CHALLENGE_END,
                  G_TYPE_STRING);

  signals[LOADED] =
    g_signal_new ("loaded",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/paydesk/Paydesk/pd-challenge-view.ui");
  gtk_widget_class_bind_template_child (widget_class, PdChallengeView, box);
  gtk_widget_class_bind_template_child (widget_class, PdChallengeView, amount_label);
  gtk_widget_class_bind_template_child (widget_class, PdChallengeView, details_label);
  gtk_widget_class_bind_template_child (widget_class, PdChallengeView, note_label);
  gtk_widget_class_bind_template_child (widget_class, PdChallengeView, stack);
  gtk_widget_class_bind_template_child (widget_class, PdChallengeView, web_frame);
  gtk_widget_class_bind_template_child (widget_class, PdChallengeView, failure_page);
  gtk_widget_class_bind_template_child (widget_class, PdChallengeView, cancel_button);

  gtk_widget_class_install_action (widget_class, "challenge.cancel", NULL, cancel_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "challenge.cancel", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "challengeview");
}

static void
pd_challenge_view_init (PdChallengeView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->timeout_seconds = PD_CHALLENGE_TIMEOUT_SECONDS;
  gtk_widget_set_layout_manager (GTK_WIDGET (self->web_frame),
                                 gtk_custom_layout_new (NULL, measure_web_frame, allocate_web_frame));
  set_active (self, FALSE);
}

/* Public -------------------------------------------------------------------- */

PdChallengeView *
pd_challenge_view_new (void)
{
  return g_object_new (PD_TYPE_CHALLENGE_VIEW, NULL);
}

static gboolean
on_timeout (gpointer user_data)
{
  PdChallengeView *self = user_data;

  self->timeout_id = 0;
  end_challenge (self, PD_CHALLENGE_END_TIMED_OUT, NULL);
  return G_SOURCE_REMOVE;
}

static void
set_header (PdChallengeView *self,
            const char      *amount_text,
            const char      *card_text,
            const char      *merchant_text)
{
  g_autofree char *details = NULL;
  gboolean has_card = card_text != NULL && card_text[0] != '\0';
  gboolean has_merchant = merchant_text != NULL && merchant_text[0] != '\0';

  if (has_card && has_merchant)
    {
      /* Translators: the masked card ("Visa •••• 4242") and the merchant's name */
      details = g_strdup_printf (_("%s · %s"), card_text, merchant_text);
    }
  else
    details = g_strdup (has_card ? card_text : has_merchant ? merchant_text : "");

  gtk_label_set_label (self->amount_label, amount_text != NULL ? amount_text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->amount_label), amount_text != NULL && amount_text[0] != '\0');
  gtk_label_set_label (self->details_label, details);
  gtk_widget_set_visible (GTK_WIDGET (self->details_label), details[0] != '\0');
}

void
pd_challenge_view_start (PdChallengeView        *self,
                         const PdPaymentOutcome *outcome,
                         const char             *return_url,
                         const char             *cancel_url,
                         const char             *amount_text,
                         const char             *card_text,
                         const char             *merchant_text)
{
  PdPaymentOutcomeKind kind;

  g_return_if_fail (PD_IS_CHALLENGE_VIEW (self));
  g_return_if_fail (outcome != NULL);
  kind = pd_payment_outcome_get_kind (outcome);
  g_return_if_fail (kind == PD_PAYMENT_OUTCOME_REDIRECT || kind == PD_PAYMENT_OUTCOME_RENDER_HTML);

  /* One "finished" per start: a challenge still on screen ends first. */
  while (self->active || self->finish_id != 0)
    {
      end_challenge (self, PD_CHALLENGE_END_CANCELLED, NULL);
      emit_finished (self);
    }

  g_clear_pointer (&self->return_uri, g_uri_unref);
  g_clear_pointer (&self->cancel_uri, g_uri_unref);
  g_clear_pointer (&self->failure_message, g_free);
  self->return_uri = parse_uri (return_url);
  self->cancel_uri = parse_uri (cancel_url);

  set_header (self, amount_text, card_text, merchant_text);
  create_web_view (self);
  gtk_stack_set_visible_child_name (self->stack, "page");
  set_active (self, TRUE);
  self->timeout_id = g_timeout_add_seconds (self->timeout_seconds, on_timeout, self);

  if (kind == PD_PAYMENT_OUTCOME_REDIRECT)
    {
      const char *url = pd_payment_outcome_get_redirect_url (outcome);

      if (!is_web_url (url))
        fail (self, _("The bank’s verification page has an address Paydesk does not open."));
      else
        webkit_web_view_load_uri (self->web_view, url);
    }
  else
    {
      const char *html = pd_payment_outcome_get_html_content (outcome);
      const char *base_uri = pd_payment_outcome_get_base_uri (outcome);

      /* The page's relative addresses resolve against the gateway, never a file. */
      if (html == NULL || (base_uri != NULL && !is_web_url (base_uri)))
        fail (self, _("The gateway’s verification page cannot be shown."));
      else
        webkit_web_view_load_html (self->web_view, html, base_uri);
    }

  gtk_widget_grab_focus (GTK_WIDGET (self->web_view));
}

void
pd_challenge_view_cancel (PdChallengeView *self)
{
  g_return_if_fail (PD_IS_CHALLENGE_VIEW (self));

  end_challenge (self, PD_CHALLENGE_END_CANCELLED, NULL);
}

gboolean
pd_challenge_view_get_active (PdChallengeView *self)
{
  g_return_val_if_fail (PD_IS_CHALLENGE_VIEW (self), FALSE);

  return self->active;
}

GtkWidget *
pd_challenge_view_get_web_view (PdChallengeView *self)
{
  g_return_val_if_fail (PD_IS_CHALLENGE_VIEW (self), NULL);

  return GTK_WIDGET (self->web_view);
}

void
pd_challenge_view_set_timeout (PdChallengeView *self,
                               guint            seconds)
{
  g_return_if_fail (PD_IS_CHALLENGE_VIEW (self));
  g_return_if_fail (seconds > 0);

  self->timeout_seconds = seconds;
}

const char *
pd_challenge_view_get_failure_message (PdChallengeView *self)
{
  g_return_val_if_fail (PD_IS_CHALLENGE_VIEW (self), NULL);

  return self->failure_message;
}
