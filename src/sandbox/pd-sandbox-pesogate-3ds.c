#define G_LOG_DOMAIN "pd-sandbox-pesogate"

#include "config.h"

#include <string.h>

#include "pd-sandbox-pesogate-private.h"

/* 3-D Secure pages */

/* A form body; NULL (after replying) when it is too large. */
static GHashTable *
read_form (SoupServerMessage *msg)
{
  g_autoptr(GBytes) bytes = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autofree char *text = NULL;
  GHashTable *form;
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  if (len > PD_SANDBOX_MAX_BODY)
    {
      pd_sandbox_pesogate_reply_page (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "Request too large",
                                      "<p>The form sent was too large.</p>");
      return NULL;
    }

  text = g_strndup (data != NULL ? data : "", len);
  form = soup_form_decode (text);
  return form != NULL ? form : g_hash_table_new (g_str_hash, g_str_equal);
}

static const char *
outcome_title (const Transaction *t)
{
  switch (t->status)
    {
    case STATUS_COMPLETED:
    case STATUS_REFUNDED:
      return "Payment completed";
    case STATUS_FAILED:
      return "Payment failed";
    case STATUS_CANCELLED:
      return "Payment cancelled";
    case STATUS_INITIALIZED:
    case STATUS_PENDING:
    case STATUS_AUTHORIZED:
    default:
      return "Payment in progress";
    }
}

static char *
summary_html (const Transaction *t)
{
  g_autofree char *amount = pd_sandbox_pesogate_format_amount (t, t->amount);
  g_autofree char *amount_html = pd_sandbox_html_escape (amount);
  g_autofree char *reference = pd_sandbox_html_escape (t->reference);

  return g_strdup_printf ("<dl>"
                          "<dt>Merchant</dt><dd>" MERCHANT_NAME "</dd>"
                          "<dt>Amount</dt><dd>%s</dd>"
                          "<dt>Card</dt><dd>%s •••• %s</dd>"
                          "<dt>Reference</dt><dd>%s</dd>"
                          "</dl>",
                          amount_html, pd_sandbox_pesogate_brand_display_name (t->card_type), t->card_last_four, reference);
}

/* The transaction a challenge token names, or NULL after replying with a
 * page that says why it cannot be used. */
static Transaction *
challenge_for_token (PdSandboxPesogate *self,
                     SoupServerMessage *msg,
                     const char        *token)
{
  Transaction *t = token != NULL ? g_hash_table_lookup (self->by_token, token) : NULL;

  if (t == NULL)
    {
      pd_sandbox_pesogate_reply_page (msg, SOUP_STATUS_NOT_FOUND, "Unknown challenge",
                                      "<p>This 3-D Secure challenge does not exist.</p>");
      return NULL;
    }

  pd_sandbox_pesogate_transaction_expire_challenge (self, t);
  if (t->challenge_over)
    {
      g_autofree char *summary = summary_html (t);
      g_autofree char *body = g_strdup_printf ("<p>This 3-D Secure challenge is over: it cannot be used again.</p>"
                                               "<p>Result: %s.</p>%s",
                                               status_names[t->status], summary);

      pd_sandbox_pesogate_reply_page (msg, SOUP_STATUS_GONE, "Challenge over", body);
      return NULL;
    }
  return t;
}

/* CyberSource's redirect_url: a page that posts the challenge to the ACS. */
static void
serve_redirect_page (PdSandboxPesogate *self,
                     SoupServerMessage *msg,
                     const char        *token)
{
  Transaction *t = challenge_for_token (self, msg, token);
  g_autofree char *origin = NULL;
  g_autofree char *action = NULL;
  g_autofree char *token_html = NULL;
  g_autofree char *body = NULL;

  if (t == NULL)
    return;

  origin = pd_sandbox_dup_origin (self->sandbox);
  action = pd_sandbox_html_escape (origin);
  token_html = pd_sandbox_html_escape (t->challenge_token);
  body = g_strdup_printf ("<form id=\"stepUpForm\" method=\"POST\" action=\"%s" ACS_PATH "\">"
                          "<input type=\"hidden\" name=\"creq\" value=\"%s\">"
                          "<p>Connecting to your card issuer for 3-D Secure…</p>"
                          "<noscript><div class=\"buttons\">"
                          "<button class=\"primary\" type=\"submit\">Continue</button>"
                          "</div></noscript>"
                          "</form>"
                          "<script>document.getElementById(\"stepUpForm\").submit();</script>",
                          action, token_html);

  pd_sandbox_pesogate_reply_page (msg, SOUP_STATUS_OK, "3-D Secure", body);
}

static void
serve_acs (PdSandboxPesogate *self,
           SoupServerMessage *msg)
{
  g_autoptr(GHashTable) form = read_form (msg);
  g_autofree char *summary = NULL;
  g_autofree char *token_html = NULL;
  g_autofree char *body = NULL;
  Transaction *t;

  if (form == NULL || (t = challenge_for_token (self, msg, g_hash_table_lookup (form, "creq"))) == NULL)
    return;

  if (t->status == STATUS_INITIALIZED)
    t->status = STATUS_PENDING;

  summary = summary_html (t);
  token_html = pd_sandbox_html_escape (t->challenge_token);
  body = g_strdup_printf ("%s"
                          "<form method=\"POST\" action=\"" ACS_DONE_PATH "\">"
                          "<input type=\"hidden\" name=\"creq\" value=\"%s\">"
                          "<label for=\"otp\">One-time code sent to your phone</label>"
                          "<input id=\"otp\" name=\"otp\" type=\"text\" autofocus inputmode=\"numeric\" "
                          "autocomplete=\"one-time-code\" maxlength=\"8\">"
                          "<p class=\"note\">Sandbox: the code " OTP_CODE " passes; any other code fails.</p>"
                          "<div class=\"buttons\">"
                          "<button class=\"primary\" type=\"submit\" name=\"action\" value=\"submit\">Submit</button>"
                          "<button class=\"secondary\" type=\"submit\" name=\"action\" value=\"cancel\">Cancel</button>"
                          "</div>"
                          "</form>",
                          summary, token_html);

  pd_sandbox_pesogate_reply_page (msg, SOUP_STATUS_OK, "Verify your payment", body);
}

/* @url with reference=<reference> added to its query, keeping the rest. */
static char *
url_with_reference (const char *url,
                    const char *reference)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  g_autoptr(GUri) result = NULL;
  g_autofree char *escaped = g_uri_escape_string (reference, NULL, FALSE);
  g_autofree char *query = NULL;
  const char *old_query;

  if (uri == NULL)
    return g_strdup (url);

  old_query = g_uri_get_query (uri);
  if (old_query != NULL && old_query[0] != '\0')
    query = g_strdup_printf ("%s&reference=%s", old_query, escaped);
  else
    query = g_strdup_printf ("reference=%s", escaped);

  result = g_uri_build (G_URI_FLAGS_ENCODED, g_uri_get_scheme (uri), g_uri_get_userinfo (uri),
                        g_uri_get_host (uri), g_uri_get_port (uri), g_uri_get_path (uri),
                        query, g_uri_get_fragment (uri));
  return g_uri_to_string (result);
}

static void
complete_challenge (PdSandboxPesogate *self,
                    SoupServerMessage *msg)
{
  g_autoptr(GHashTable) form = read_form (msg);
  const char *action, *otp, *target;
  g_autofree char *location = NULL;
  Transaction *t;

  if (form == NULL || (t = challenge_for_token (self, msg, g_hash_table_lookup (form, "creq"))) == NULL)
    return;

  action = g_hash_table_lookup (form, "action");
  otp = g_hash_table_lookup (form, "otp");

  if (g_strcmp0 (action, "cancel") == 0)
    t->status = STATUS_CANCELLED;
  else if (g_strcmp0 (otp, OTP_CODE) == 0 && t->card_succeeds)
    {
      t->status = STATUS_COMPLETED;
      t->completed_at = pd_sandbox_pesogate_now (self);
    }
  else
    t->status = STATUS_FAILED;

  t->challenge_over = TRUE;
  g_debug ("transaction %s: 3-D Secure challenge ended %s", t->reference, status_names[t->status]);

  target = t->status == STATUS_COMPLETED ? t->return_url : t->cancel_url;
  if (target != NULL)
    location = url_with_reference (target, t->reference);
  else
    {
      g_autofree char *origin = pd_sandbox_dup_origin (self->sandbox);

      location = g_strconcat (origin, RESULT_PATH, t->reference, NULL);
    }

  pd_sandbox_reply_redirect (msg, location);
}

static void
serve_result_page (PdSandboxPesogate *self,
                   SoupServerMessage *msg,
                   const char        *reference)
{
  Transaction *t = pd_sandbox_pesogate_lookup_reference (self, reference);
  g_autofree char *summary = NULL;
  g_autofree char *body = NULL;

  if (t == NULL)
    {
      pd_sandbox_pesogate_reply_page (msg, SOUP_STATUS_NOT_FOUND, "Unknown transaction",
                                      "<p>There is no such transaction.</p>");
      return;
    }

  summary = summary_html (t);
  if (t->status == STATUS_FAILED && t->decline_reason != NULL)
    {
      g_autofree char *reason = pd_sandbox_html_escape (t->decline_reason);

      body = g_strdup_printf ("<p>Status: <strong>%s</strong>.</p><p>%s</p>%s"
                              "<p class=\"note\">You can close this page.</p>",
                              status_names[t->status], reason, summary);
    }
  else
    body = g_strdup_printf ("<p>Status: <strong>%s</strong>.</p>%s"
                            "<p class=\"note\">You can close this page.</p>",
                            status_names[t->status], summary);
  pd_sandbox_pesogate_reply_page (msg, SOUP_STATUS_OK, outcome_title (t), body);
}

void
pd_sandbox_pesogate_handle_3ds (PdSandboxPesogate *self,
                                SoupServerMessage *msg,
                                const char        *path)
{
  /* The same paths without the gateway prefix, as the router passes them. */
  const char *acs = &ACS_PATH[strlen (PD_SANDBOX_PESOGATE_PREFIX)];
  const char *acs_done = &ACS_DONE_PATH[strlen (PD_SANDBOX_PESOGATE_PREFIX)];
  const char *redirect = &REDIRECT_PATH[strlen (PD_SANDBOX_PESOGATE_PREFIX)];
  const char *result = &RESULT_PATH[strlen (PD_SANDBOX_PESOGATE_PREFIX)];
  gboolean is_get = pd_sandbox_pesogate_method_is (msg, "GET") || pd_sandbox_pesogate_method_is (msg, "HEAD");

  if (g_str_equal (path, acs) || g_str_equal (path, acs_done))
    {
      if (!pd_sandbox_pesogate_method_is (msg, "POST"))
        pd_sandbox_pesogate_reply_method_not_allowed (msg, "POST", FALSE);
      else if (g_str_equal (path, acs))
        serve_acs (self, msg);
      else
        complete_challenge (self, msg);
    }
  else if (g_str_has_prefix (path, redirect) && path[strlen (redirect)] != '\0' &&
           strchr (path + strlen (redirect), '/') == NULL)
    {
      if (!is_get)
        pd_sandbox_pesogate_reply_method_not_allowed (msg, "GET, HEAD", FALSE);
      else
        serve_redirect_page (self, msg, path + strlen (redirect));
    }
  else if (g_str_has_prefix (path, result) && path[strlen (result)] != '\0' &&
           strchr (path + strlen (result), '/') == NULL)
    {
      if (!is_get)
        pd_sandbox_pesogate_reply_method_not_allowed (msg, "GET, HEAD", FALSE);
      else
        serve_result_page (self, msg, path + strlen (result));
    }
  else
    pd_sandbox_pesogate_reply_page (msg, SOUP_STATUS_NOT_FOUND, "Not found", "<p>There is no such page.</p>");
}
