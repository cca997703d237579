/* test-sandbox-pesogate.c: the sandbox's PesoGate API and 3-D Secure pages over real HTTP */
#include "config.h"

#include <string.h>

#include "pd-test-sandbox.h"

#define RETURN_URL "https://shop.example/payment/success"
#define CANCEL_URL "https://shop.example/payment/cancel"

static PdTestSandbox *sb;
static SoupSession *browser;
static guint order_counter;

/* Requests */

static char *
new_order_id (void)
{
  g_autofree char *uuid = g_uuid_string_random ();

  return g_strdup_printf ("TEST-%u-%.8s", ++order_counter, uuid);
}

static gint
future_year (void)
{
  g_autoptr(GDateTime) dt = g_date_time_new_now_utc ();

  return g_date_time_get_year (dt) + 3;
}

static gboolean
is_amex (const char *card)
{
  return g_str_has_prefix (card, "34") || g_str_has_prefix (card, "37");
}

/* A valid initialize body with a fresh order id. */
static JsonObject *
payment_request (const char *provider,
                 const char *card)
{
  JsonObject *req = json_object_new ();
  g_autofree char *order_id = new_order_id ();
  g_autofree char *year = g_strdup_printf ("%d", future_year ());

  json_object_set_string_member (req, "order_id", order_id);
  json_object_set_double_member (req, "amount", 100.50);
  json_object_set_string_member (req, "currency", "USD");
  json_object_set_string_member (req, "payment_provider", provider);
  json_object_set_string_member (req, "card_number", card);
  json_object_set_string_member (req, "exp_month", "12");
  json_object_set_string_member (req, "exp_year", year);
  json_object_set_string_member (req, "cvv", is_amex (card) ? "1234" : "123");
  json_object_set_string_member (req, "customer_email", "customer@example.com");
  json_object_set_string_member (req, "customer_name", "John Doe");
  json_object_set_string_member (req, "return_url", RETURN_URL);
  json_object_set_string_member (req, "cancel_url", CANCEL_URL);
  return req;
}

static char *
object_to_json (JsonObject *obj)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), obj);

  return json_to_string (node, FALSE);
}

/* Sets @name to the JSON text @value, or removes it when @value is NULL. */
static void
set_raw_member (JsonObject *obj,
                const char *name,
                const char *value)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  if (value == NULL)
    {
      json_object_remove_member (obj, name);
      return;
    }
  node = json_from_string (value, &error);
  g_assert_no_error (error);
  json_object_set_member (obj, name, node);
}

static PdTestResponse *
initialize (JsonObject *req)
{
  g_autofree char *body = object_to_json (req);

  return pd_test_pesogate (sb, "POST", "/payments/initialize", body);
}

static PdTestResponse *
get_status (const char *reference)
{
  g_autofree char *path = g_strdup_printf ("/payments/%s/status", reference);

  return pd_test_pesogate (sb, "GET", path, NULL);
}

static PdTestResponse *
refund (const char *reference,
        const char *body)
{
  g_autofree char *path = g_strdup_printf ("/payments/%s/refund", reference);

  return pd_test_pesogate (sb, "POST", path, body);
}

static char *
status_of (const char *reference)
{
  g_autoptr(PdTestResponse) resp = get_status (reference);
  JsonObject *obj = pd_test_response_object (resp);

  g_assert_cmpuint (resp->status, ==, 200);
  return g_strdup (json_object_get_string_member (json_object_get_object_member (obj, "data"), "status"));
}

static void
assert_status (const char *reference,
               const char *expected)
{
  g_autofree char *status = status_of (reference);

  g_assert_cmpstr (status, ==, expected);
}

/* The body must be exactly @expected, byte for byte. */
static void
assert_body (PdTestResponse *resp,
             guint           status,
             const char     *expected)
{
  g_assert_no_error (resp->error);
  g_assert_cmpstr (pd_test_response_text (resp), ==, expected);
  g_assert_cmpuint (resp->status, ==, status);
}

static void
assert_pesogate_error (PdTestResponse *resp,
                       guint           status,
                       const char     *message)
{
  JsonObject *obj = pd_test_response_object (resp);

  g_assert_cmpuint (resp->status, ==, status);
  g_assert_false (json_object_get_boolean_member (obj, "success"));
  g_assert_cmpstr (json_object_get_string_member (obj, "message"), ==, message);
}

static void
assert_keys (JsonObject         *obj,
             const char * const *keys)
{
  g_autoptr(GList) members = json_object_get_members (obj);

  g_assert_cmpuint (g_list_length (members), ==, g_strv_length ((char **) keys));
  for (guint i = 0; keys[i] != NULL; i++)
    if (!json_object_has_member (obj, keys[i]))
      g_error ("member %s missing", keys[i]);
}

/* The browser: forms are followed by hand, redirects are not followed. */

typedef struct
{
  char       *url;
  guint       status;
  char       *location;
  char       *body;
  char       *content_type;
} Page;

static void
page_free (Page *page)
{
  g_free (page->url);
  g_free (page->location);
  g_free (page->body);
  g_free (page->content_type);
  g_free (page);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Page, page_free)

static Page *
browse (const char *method,
        const char *url,
        GHashTable *form)
{
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  Page *page = g_new0 (Page, 1);
  const char *location;
  gsize len;
  const char *data;

  g_assert_nonnull (msg);
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  if (form != NULL)
    {
      char *encoded = soup_form_encode_hash (form);
      g_autoptr(GBytes) body = g_bytes_new_take (encoded, strlen (encoded));

      soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", body);
    }

  bytes = soup_session_send_and_read (browser, msg, NULL, &error);
  g_assert_no_error (error);

  data = g_bytes_get_data (bytes, &len);
  page->url = g_strdup (url);
  page->status = soup_message_get_status (msg);
  page->body = g_strndup (data != NULL ? data : "", len);
  page->content_type = g_strdup (soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL));
  location = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Location");
  page->location = location != NULL ? g_uri_resolve_relative (url, location, G_URI_FLAGS_NONE, NULL) : NULL;
  return page;
}

static char *
html_unescape (const char *text)
{
  static const char * const entities[][2] = {
    { "&quot;", "\"" }, { "&#39;", "'" }, { "&#x27;", "'" }, { "&apos;", "'" },
    { "&lt;", "<" }, { "&gt;", ">" }, { "&amp;", "&" },
  };
  GString *out = g_string_new (text);

  for (guint i = 0; i < G_N_ELEMENTS (entities); i++)
    g_string_replace (out, entities[i][0], entities[i][1], 0);
  return g_string_free (out, FALSE);
}

/* The value of attribute @name in the HTML start tag @tag, or NULL. */
static char *
tag_attribute (const char *tag,
               const char *name)
{
  g_autofree char *pattern = g_strdup_printf ("\\s%s(?:=\"([^\"]*)\")?[\\s/>]", name);
  g_autoptr(GRegex) regex = g_regex_new (pattern, G_REGEX_CASELESS, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *value = NULL;

  if (!g_regex_match (regex, tag, 0, &match))
    return NULL;
  value = g_match_info_fetch (match, 1);
  return html_unescape (value != NULL ? value : "");
}

/* Every start tag named @element in @html, in document order. */
static GStrv
find_tags (const char *html,
           const char *element)
{
  g_autofree char *pattern = g_strdup_printf ("<%s\\b[^>]*>", element);
  g_autoptr(GRegex) regex = g_regex_new (pattern, G_REGEX_CASELESS, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_regex_match (regex, html, 0, &match);
  while (g_match_info_matches (match))
    {
      g_autofree char *tag = g_match_info_fetch (match, 0);

      g_strv_builder_add (builder, tag);
      g_match_info_next (match, NULL);
    }
  return g_strv_builder_end (builder);
}

typedef struct
{
  char       *action;   /* absolute */
  char       *method;
  char       *target;
  char       *inner;    /* the HTML inside the form */
  GHashTable *fields;   /* the hidden inputs: name → value */
} Form;

static void
form_free (Form *form)
{
  g_free (form->action);
  g_free (form->method);
  g_free (form->target);
  g_free (form->inner);
  g_hash_table_unref (form->fields);
  g_free (form);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Form, form_free)

/* The first form of @html, with its action resolved against @base_url as a
 * browser would. */
static Form *
find_form (const char *html,
           const char *base_url)
{
  const char *start = strstr (html, "<form");
  const char *tag_end, *end;
  g_autofree char *tag = NULL;
  g_autofree char *action = NULL;
  g_auto(GStrv) inputs = NULL;
  Form *form = g_new0 (Form, 1);

  if (start == NULL || (tag_end = strchr (start, '>')) == NULL || (end = strstr (tag_end, "</form>")) == NULL)
    g_error ("no form in: %s", html);

  tag = g_strndup (start, (gsize) (tag_end - start + 1));
  action = tag_attribute (tag, "action");
  g_assert_nonnull (action);
  form->action = g_uri_resolve_relative (base_url, action, G_URI_FLAGS_NONE, NULL);
  form->method = tag_attribute (tag, "method");
  form->target = tag_attribute (tag, "target");
  form->inner = g_strndup (tag_end + 1, (gsize) (end - tag_end - 1));
  form->fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  inputs = find_tags (form->inner, "input");
  for (guint i = 0; inputs[i] != NULL; i++)
    {
      g_autofree char *type = tag_attribute (inputs[i], "type");

      if (g_strcmp0 (type, "hidden") == 0)
        g_hash_table_insert (form->fields, tag_attribute (inputs[i], "name"), tag_attribute (inputs[i], "value"));
    }
  return form;
}

static Page *
submit_form (Form       *form,
             const char *otp,
             const char *action)
{
  g_autoptr(GHashTable) values = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer name, value;

  g_assert_cmpstr (form->method, ==, "POST");
  g_hash_table_iter_init (&iter, form->fields);
  while (g_hash_table_iter_next (&iter, &name, &value))
    g_hash_table_insert (values, name, value);
  if (otp != NULL)
    g_hash_table_insert (values, (gpointer) "otp", (gpointer) otp);
  if (action != NULL)
    g_hash_table_insert (values, (gpointer) "action", (gpointer) action);

  return browse ("POST", form->action, values);
}

/* An auto-submitting page: a script submits the form, and without
 * JavaScript a button in <noscript> does. */
static void
assert_auto_submits (const char *html)
{
  const char *noscript = strstr (html, "<noscript>");

  g_assert_nonnull (strstr (html, "<script"));
  g_assert_nonnull (strstr (html, ".submit()"));
  g_assert_nonnull (noscript);
  g_assert_nonnull (strstr (noscript, "<button"));
  g_assert_true (strstr (noscript, "<button") < strstr (noscript, "</noscript>"));
}

/* Follows an initialize answer as a browser would, up to the ACS page, and
 * returns the ACS page's form. */
static Form *
open_challenge (JsonObject *answer,
                const char *provider,
                const char *card,
                const char *amount_text,
                const char *brand_text)
{
  g_autoptr(Form) form = NULL;
  g_autoptr(Page) acs = NULL;
  g_autofree char *masked = g_strdup_printf ("%s •••• %s", brand_text, card + strlen (card) - 4);
  g_autofree char *origin_base = g_strconcat (pd_test_sandbox_origin (sb), "/", NULL);
  Form *acs_form;
  g_auto(GStrv) otp_inputs = NULL;
  g_auto(GStrv) buttons = NULL;
  g_auto(GStrv) labels = NULL;
  g_autofree char *first_value = NULL;
  g_autofree char *second_value = NULL;
  guint n_otp = 0;

  g_assert_true (json_object_get_boolean_member (answer, "success"));

  if (g_str_equal (provider, "mpgs"))
    {
      const char *html = json_object_get_string_member (answer, "html_content");
      g_auto(GStrv) iframes = find_tags (html, "iframe");
      g_autofree char *frame_name = NULL;
      g_autofree char *frame_width = NULL;
      static const char * const keys[] = {
        "success", "message", "action", "html_content", "transaction_reference", NULL
      };

      assert_keys (answer, keys);
      g_assert_cmpstr (json_object_get_string_member (answer, "message"), ==, "3DS authentication required");
      g_assert_cmpstr (json_object_get_string_member (answer, "action"), ==, "render_html");
      g_assert_null (strstr (html, card));

      g_assert_cmpuint (g_strv_length (iframes), ==, 1);
      frame_name = tag_attribute (iframes[0], "name");
      frame_width = tag_attribute (iframes[0], "width");
      g_assert_cmpstr (frame_name, ==, "challengeFrame");
      g_assert_cmpstr (frame_width, ==, "100%");
      assert_auto_submits (html);

      /* render_html is loaded with the gateway's origin as base URI. */
      form = find_form (html, origin_base);
      g_assert_cmpstr (form->target, ==, "challengeFrame");
    }
  else
    {
      const char *redirect_url = json_object_get_string_member (answer, "redirect_url");
      g_autoptr(Page) page = NULL;
      static const char * const keys[] = {
        "success", "message", "redirect_url", "transaction_reference", NULL
      };

      assert_keys (answer, keys);
      g_assert_cmpstr (json_object_get_string_member (answer, "message"), ==, "Transaction initialized successfully");
      g_assert_true (g_str_has_prefix (redirect_url, pd_test_sandbox_origin (sb)));

      page = browse ("GET", redirect_url, NULL);
      g_assert_cmpuint (page->status, ==, 200);
      g_assert_true (g_str_has_prefix (page->content_type, "text/html"));
      g_assert_null (strstr (page->body, card));
      assert_auto_submits (page->body);
      form = find_form (page->body, redirect_url);
    }

  g_assert_true (g_str_has_prefix (form->action, pd_test_sandbox_origin (sb)));
  g_assert_cmpuint (g_hash_table_size (form->fields), >=, 1);

  acs = submit_form (form, NULL, NULL);
  g_assert_cmpuint (acs->status, ==, 200);
  g_assert_true (g_str_has_prefix (acs->content_type, "text/html"));
  g_assert_nonnull (strstr (acs->body, "Paydesk Sandbox Merchant"));
  g_assert_nonnull (strstr (acs->body, amount_text));
  g_assert_nonnull (strstr (acs->body, masked));
  g_assert_null (strstr (acs->body, card));

  acs_form = find_form (acs->body, acs->url);
  g_assert_cmpstr (acs_form->target, ==, NULL);

  /* One code input, labelled, focused, numeric, fillable from an SMS. */
  otp_inputs = find_tags (acs_form->inner, "input");
  for (guint i = 0; otp_inputs[i] != NULL; i++)
    {
      g_autofree char *name = tag_attribute (otp_inputs[i], "name");
      g_autofree char *id = NULL;
      g_autofree char *autofocus = NULL;
      g_autofree char *inputmode = NULL;
      g_autofree char *autocomplete = NULL;

      if (g_strcmp0 (name, "otp") != 0)
        continue;
      n_otp++;
      id = tag_attribute (otp_inputs[i], "id");
      autofocus = tag_attribute (otp_inputs[i], "autofocus");
      inputmode = tag_attribute (otp_inputs[i], "inputmode");
      autocomplete = tag_attribute (otp_inputs[i], "autocomplete");
      g_assert_nonnull (autofocus);
      g_assert_cmpstr (inputmode, ==, "numeric");
      g_assert_cmpstr (autocomplete, ==, "one-time-code");
      labels = find_tags (acs_form->inner, "label");
      g_assert_cmpuint (g_strv_length (labels), ==, 1);
      g_assert_nonnull (strstr (labels[0], "for=\"otp\""));
      g_assert_cmpstr (id, ==, "otp");
    }
  g_assert_cmpuint (n_otp, ==, 1);

  /* Submit first, so that Enter in the code input submits the code. */
  buttons = find_tags (acs_form->inner, "button");
  g_assert_cmpuint (g_strv_length (buttons), ==, 2);
  first_value = tag_attribute (buttons[0], "value");
  second_value = tag_attribute (buttons[1], "value");
  g_assert_cmpstr (first_value, ==, "submit");
  g_assert_cmpstr (second_value, ==, "cancel");
  g_assert_true (strstr (acs_form->inner, ">Submit</button>") < strstr (acs_form->inner, ">Cancel</button>"));

  return acs_form;
}

/* Asserts @page redirects (303) to @base with reference=@reference added. */
static void
assert_redirect (Page       *page,
                 const char *base,
                 const char *reference)
{
  g_autofree char *expected = g_strdup_printf ("%s%creference=%s", base, strchr (base, '?') ? '&' : '?', reference);

  g_assert_cmpuint (page->status, ==, 303);
  g_assert_cmpstr (page->location, ==, expected);
}

/* A whole payment through 3-D Secure with the code 1234; returns the reference. */
static char *
pay (const char *provider,
     const char *card,
     const char *body_json)
{
  g_autoptr(PdTestResponse) resp = pd_test_pesogate (sb, "POST", "/payments/initialize", body_json);
  JsonObject *answer = pd_test_response_object (resp);
  g_autoptr(Form) acs = NULL;
  g_autoptr(Page) done = NULL;
  const char *reference;

  g_assert_cmpuint (resp->status, ==, 200);
  reference = json_object_get_string_member (answer, "transaction_reference");
  acs = open_challenge (answer, provider, card, "", "");
  done = submit_form (acs, "1234", "submit");
  g_assert_cmpuint (done->status, ==, 303);
  assert_status (reference, "completed");
  return g_strdup (reference);
}

static char *
pay_amount (const char *amount_json,
            const char *currency)
{
  g_autoptr(JsonObject) req = payment_request ("mpgs", "4242424242424242");
  g_autofree char *body = NULL;

  set_raw_member (req, "amount", amount_json);
  json_object_set_string_member (req, "currency", currency);
  body = object_to_json (req);
  return pay ("mpgs", "4242424242424242", body);
}

/* Authentication and routing */

typedef struct
{
  const char *method;
  const char *path;
} Endpoint;

static const Endpoint endpoints[] = {
  { "POST", "/payments/initialize" },
  { "GET", "/payments/00000000-0000-4000-8000-000000000000/status" },
  { "POST", "/payments/00000000-0000-4000-8000-000000000000/refund" },
};

static PdTestResponse *
request_with_credentials (const Endpoint *endpoint,
                          const char     *key,
                          const char     *secret)
{
  g_autofree char *url = g_strconcat (pd_test_sandbox_pesogate_url (sb), endpoint->path, NULL);
  const char *headers[7] = { NULL };
  guint n = 0;

  if (key != NULL)
    {
      headers[n++] = "X-Api-Key";
      headers[n++] = key;
    }
  if (secret != NULL)
    {
      headers[n++] = "X-Api-Secret";
      headers[n++] = secret;
    }
  return pd_test_http (sb, endpoint->method, url, NULL, g_str_equal (endpoint->method, "POST") ? "{}" : NULL,
                       headers);
}

static void
test_auth_missing (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (endpoints); i++)
    {
      g_autoptr(PdTestResponse) none = request_with_credentials (&endpoints[i], NULL, NULL);
      g_autoptr(PdTestResponse) no_secret = request_with_credentials (&endpoints[i], PD_SANDBOX_PESOGATE_API_KEY, NULL);
      g_autoptr(PdTestResponse) no_key = request_with_credentials (&endpoints[i], NULL, PD_SANDBOX_PESOGATE_API_SECRET);
      g_autoptr(PdTestResponse) empty = request_with_credentials (&endpoints[i], "", "");

      assert_body (none, 401, "{\"success\":false,\"message\":\"Unauthenticated.\"}");
      assert_body (no_secret, 401, "{\"success\":false,\"message\":\"Unauthenticated.\"}");
      assert_body (no_key, 401, "{\"success\":false,\"message\":\"Unauthenticated.\"}");
      assert_body (empty, 401, "{\"success\":false,\"message\":\"Unauthenticated.\"}");
    }
}

static void
test_auth_wrong (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (endpoints); i++)
    {
      g_autoptr(PdTestResponse) wrong_key = request_with_credentials (&endpoints[i], "pk_sandbox_wrong",
                                                                      PD_SANDBOX_PESOGATE_API_SECRET);
      g_autoptr(PdTestResponse) wrong_secret = request_with_credentials (&endpoints[i], PD_SANDBOX_PESOGATE_API_KEY,
                                                                         "sk_sandbox_wrong");
      g_autoptr(PdTestResponse) swapped = request_with_credentials (&endpoints[i], PD_SANDBOX_PESOGATE_API_SECRET,
                                                                    PD_SANDBOX_PESOGATE_API_KEY);

      assert_body (wrong_key, 401, "{\"success\":false,\"message\":\"Invalid API credentials.\"}");
      assert_body (wrong_secret, 401, "{\"success\":false,\"message\":\"Invalid API credentials.\"}");
      assert_body (swapped, 401, "{\"success\":false,\"message\":\"Invalid API credentials.\"}");
    }
}

static void
test_unknown_path (void)
{
  static const char * const paths[] = {
    "/payments", "/payments/initialize/", "/payments/x/status/extra", "/payments//status",
    "/transactions", "/", "/payments/x/capture",
  };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(PdTestResponse) resp = pd_test_pesogate (sb, "GET", paths[i], NULL);
      JsonObject *obj = pd_test_response_object (resp);

      g_assert_cmpuint (resp->status, ==, 404);
      g_assert_false (json_object_get_boolean_member (obj, "success"));
      g_assert_nonnull (json_object_get_string_member (obj, "message"));
    }

  {
    g_autoptr(PdTestResponse) outside = pd_test_http (sb, "GET", "/pesogate/nothing", NULL, NULL, NULL);
    g_autoptr(PdTestResponse) page = pd_test_http (sb, "GET", "/pesogate/3ds/nothing", NULL, NULL, NULL);

    g_assert_cmpuint (outside->status, ==, 404);
    g_assert_cmpuint (page->status, ==, 404);
  }
}

static void
test_wrong_method (void)
{
  static const struct { const char *method, *path, *allow; } cases[] = {
    { "GET", "/payments/initialize", "POST" },
    { "PUT", "/payments/initialize", "POST" },
    { "POST", "/payments/abc/status", "GET, HEAD" },
    { "DELETE", "/payments/abc/status", "GET, HEAD" },
    { "GET", "/payments/abc/refund", "POST" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(PdTestResponse) resp = pd_test_pesogate (sb, cases[i].method, cases[i].path, NULL);
      JsonObject *obj = pd_test_response_object (resp);

      g_assert_cmpuint (resp->status, ==, 405);
      g_assert_cmpstr (soup_message_headers_get_one (resp->headers, "Allow"), ==, cases[i].allow);
      g_assert_false (json_object_get_boolean_member (obj, "success"));
    }

  {
    g_autofree char *acs = g_strconcat (pd_test_sandbox_origin (sb), "/pesogate/3ds/acs", NULL);
    g_autofree char *done = g_strconcat (pd_test_sandbox_origin (sb), "/pesogate/3ds/acs/complete", NULL);
    g_autofree char *redirect = g_strconcat (pd_test_sandbox_origin (sb), "/pesogate/3ds/redirect/abc", NULL);
    g_autoptr(Page) get_acs = browse ("GET", acs, NULL);
    g_autoptr(Page) get_done = browse ("GET", done, NULL);
    g_autoptr(Page) post_redirect = browse ("POST", redirect, NULL);

    g_assert_cmpuint (get_acs->status, ==, 405);
    g_assert_cmpuint (get_done->status, ==, 405);
    g_assert_cmpuint (post_redirect->status, ==, 405);
  }
}

/* Validation */

typedef struct
{
  const char *name;
  const char *card;      /* NULL: MPGS's Visa */
  const char *field;
  const char *value;     /* JSON text; NULL removes the field */
  const char *field2;
  const char *value2;
  const char *error_field;
  const char *message;
} ValidationCase;

#define REQUIRED(f, label) \
  { f "-missing", NULL, f, NULL, NULL, NULL, f, "The " label " field is required." }, \
  { f "-null", NULL, f, "null", NULL, NULL, f, "The " label " field is required." }

static const ValidationCase validation_cases[] = {
  REQUIRED ("order_id", "order id"),
  REQUIRED ("amount", "amount"),
  REQUIRED ("currency", "currency"),
  REQUIRED ("payment_provider", "payment provider"),
  REQUIRED ("card_number", "card number"),
  REQUIRED ("exp_month", "exp month"),
  REQUIRED ("exp_year", "exp year"),
  REQUIRED ("cvv", "cvv"),
  { "order_id-empty", NULL, "order_id", "\"\"", NULL, NULL, "order_id", "The order id field is required." },
  { "order_id-blank", NULL, "order_id", "\"   \"", NULL, NULL, "order_id", "The order id field is required." },
  { "order_id-number", NULL, "order_id", "12345", NULL, NULL, "order_id", "The order id must be a string." },
  { "amount-string", NULL, "amount", "\"100.50\"", NULL, NULL, "amount", "The amount must be a number." },
  { "amount-boolean", NULL, "amount", "true", NULL, NULL, "amount", "The amount must be a number." },
  { "amount-object", NULL, "amount", "{\"value\": 1}", NULL, NULL, "amount", "The amount must be a number." },
  { "amount-zero", NULL, "amount", "0", NULL, NULL, "amount", "The amount must be at least 0.01." },
  { "amount-zero-decimal", NULL, "amount", "0.00", NULL, NULL, "amount", "The amount must be at least 0.01." },
  { "amount-negative", NULL, "amount", "-5", NULL, NULL, "amount", "The amount must be at least 0.01." },
  { "amount-negative-decimal", NULL, "amount", "-0.5", NULL, NULL, "amount", "The amount must be at least 0.01." },
  { "amount-three-decimals", NULL, "amount", "100.505", NULL, NULL, "amount",
    "The amount must not have more than 2 decimal places for USD." },
  { "amount-below-cent", NULL, "amount", "0.001", NULL, NULL, "amount",
    "The amount must not have more than 2 decimal places for USD." },
  { "amount-too-large", NULL, "amount", "1e12", NULL, NULL, "amount",
    "The amount must not be greater than 999999999.99." },
  { "amount-jpy-decimals", NULL, "amount", "100.5", "currency", "\"JPY\"", "amount",
    "The amount must be a whole number for JPY." },
  { "amount-jpy-zero", NULL, "amount", "0", "currency", "\"JPY\"", "amount", "The amount must be at least 1." },
  { "amount-kwd-below-minimum", NULL, "amount", "0.005", "currency", "\"KWD\"", "amount",
    "The amount must be at least 0.01." },
  { "amount-kwd-four-decimals", NULL, "amount", "1.2345", "currency", "\"KWD\"", "amount",
    "The amount must not have more than 3 decimal places for KWD." },
  { "currency-lower-case", NULL, "currency", "\"usd\"", NULL, NULL, "currency",
    "The currency must be a valid ISO 4217 currency code." },
  { "currency-unknown", NULL, "currency", "\"XYZ\"", NULL, NULL, "currency",
    "The currency must be a valid ISO 4217 currency code." },
  { "currency-two-letters", NULL, "currency", "\"US\"", NULL, NULL, "currency",
    "The currency must be a valid ISO 4217 currency code." },
  { "currency-four-letters", NULL, "currency", "\"USDT\"", NULL, NULL, "currency",
    "The currency must be a valid ISO 4217 currency code." },
  { "currency-number", NULL, "currency", "840", NULL, NULL, "currency", "The currency must be a string." },
  { "payment_provider-unknown", NULL, "payment_provider", "\"paypal\"", NULL, NULL, "payment_provider",
    "The selected payment provider is invalid." },
  { "payment_provider-upper-case", NULL, "payment_provider", "\"MPGS\"", NULL, NULL, "payment_provider",
    "The selected payment provider is invalid." },
  { "payment_provider-number", NULL, "payment_provider", "1", NULL, NULL, "payment_provider",
    "The payment provider must be a string." },
  { "card_number-spaces", NULL, "card_number", "\"4242 4242 4242 4242\"", NULL, NULL, "card_number",
    "The card number must contain only digits." },
  { "card_number-letters", NULL, "card_number", "\"4242abcd42424242\"", NULL, NULL, "card_number",
    "The card number must contain only digits." },
  { "card_number-dashes", NULL, "card_number", "\"4242-4242-4242-4242\"", NULL, NULL, "card_number",
    "The card number must contain only digits." },
  { "card_number-short", NULL, "card_number", "\"42424242\"", NULL, NULL, "card_number",
    "The card number must be between 12 and 19 digits." },
  { "card_number-long", NULL, "card_number", "\"42424242424242424242\"", NULL, NULL, "card_number",
    "The card number must be between 12 and 19 digits." },
  { "card_number-luhn", NULL, "card_number", "\"4242424242424241\"", NULL, NULL, "card_number",
    "The card number is not a valid card number." },
  { "card_number-luhn-mpgs-decline-neighbour", NULL, "card_number", "\"4000000000000003\"", NULL, NULL,
    "card_number", "The card number is not a valid card number." },
  { "card_number-number", NULL, "card_number", "4242424242424242", NULL, NULL, "card_number",
    "The card number must be a string." },
  { "exp_month-13", NULL, "exp_month", "\"13\"", NULL, NULL, "exp_month",
    "The exp month must be a valid month from 01 to 12." },
  { "exp_month-00", NULL, "exp_month", "\"00\"", NULL, NULL, "exp_month",
    "The exp month must be a valid month from 01 to 12." },
  { "exp_month-integer-0", NULL, "exp_month", "0", NULL, NULL, "exp_month",
    "The exp month must be a valid month from 01 to 12." },
  { "exp_month-integer-13", NULL, "exp_month", "13", NULL, NULL, "exp_month",
    "The exp month must be a valid month from 01 to 12." },
  { "exp_month-negative", NULL, "exp_month", "-1", NULL, NULL, "exp_month",
    "The exp month must be a valid month from 01 to 12." },
  { "exp_month-three-digits", NULL, "exp_month", "\"012\"", NULL, NULL, "exp_month",
    "The exp month must be a valid month from 01 to 12." },
  { "exp_month-letters", NULL, "exp_month", "\"ab\"", NULL, NULL, "exp_month",
    "The exp month must be a valid month from 01 to 12." },
  { "exp_month-decimal", NULL, "exp_month", "1.5", NULL, NULL, "exp_month",
    "The exp month must be a valid month from 01 to 12." },
  { "exp_month-boolean", NULL, "exp_month", "true", NULL, NULL, "exp_month",
    "The exp month must be a valid month from 01 to 12." },
  { "exp_year-three-digits", NULL, "exp_year", "\"203\"", NULL, NULL, "exp_year",
    "The exp year must be 2 or 4 digits." },
  { "exp_year-five-digits", NULL, "exp_year", "\"20301\"", NULL, NULL, "exp_year",
    "The exp year must be 2 or 4 digits." },
  { "exp_year-one-digit", NULL, "exp_year", "5", NULL, NULL, "exp_year", "The exp year must be 2 or 4 digits." },
  { "exp_year-letters", NULL, "exp_year", "\"20ab\"", NULL, NULL, "exp_year",
    "The exp year must be 2 or 4 digits." },
  { "exp_year-decimal", NULL, "exp_year", "2030.5", NULL, NULL, "exp_year",
    "The exp year must be 2 or 4 digits." },
  { "exp_year-array", NULL, "exp_year", "[2030]", NULL, NULL, "exp_year", "The exp year must be 2 or 4 digits." },
  { "expired-four-digit-year", NULL, "exp_year", "\"2020\"", NULL, NULL, "exp_year", "The card has expired." },
  { "expired-two-digit-year", NULL, "exp_year", "\"20\"", NULL, NULL, "exp_year", "The card has expired." },
  { "expired-integer-year", NULL, "exp_year", "2021", "exp_month", "1", "exp_year", "The card has expired." },
  { "cvv-two-digits", NULL, "cvv", "\"12\"", NULL, NULL, "cvv", "The cvv must be 3 digits." },
  { "cvv-four-digits-visa", NULL, "cvv", "\"1234\"", NULL, NULL, "cvv", "The cvv must be 3 digits." },
  { "cvv-letters", NULL, "cvv", "\"12a\"", NULL, NULL, "cvv", "The cvv must contain only digits." },
  { "cvv-number", NULL, "cvv", "123", NULL, NULL, "cvv", "The cvv must be a string." },
  { "cvv-three-digits-amex", "340000000000009", "cvv", "\"123\"", NULL, NULL, "cvv",
    "The cvv must be 4 digits for American Express cards." },
  { "cvv-five-digits-amex", "340000000000009", "cvv", "\"12345\"", NULL, NULL, "cvv",
    "The cvv must be 4 digits for American Express cards." },
  { "customer_email-no-at", NULL, "customer_email", "\"customer.example.com\"", NULL, NULL, "customer_email",
    "The customer email must be a valid email address." },
  { "customer_email-no-domain", NULL, "customer_email", "\"customer@\"", NULL, NULL, "customer_email",
    "The customer email must be a valid email address." },
  { "customer_email-no-dot", NULL, "customer_email", "\"customer@example\"", NULL, NULL, "customer_email",
    "The customer email must be a valid email address." },
  { "customer_email-space", NULL, "customer_email", "\"john doe@example.com\"", NULL, NULL, "customer_email",
    "The customer email must be a valid email address." },
  { "customer_email-two-ats", NULL, "customer_email", "\"a@b@example.com\"", NULL, NULL, "customer_email",
    "The customer email must be a valid email address." },
  { "customer_email-number", NULL, "customer_email", "42", NULL, NULL, "customer_email",
    "The customer email must be a string." },
  { "customer_name-number", NULL, "customer_name", "42", NULL, NULL, "customer_name",
    "The customer name must be a string." },
  { "customer_phone-array", NULL, "customer_phone", "[\"+1\"]", NULL, NULL, "customer_phone",
    "The customer phone must be a string." },
  { "return_url-relative", NULL, "return_url", "\"/payment/success\"", NULL, NULL, "return_url",
    "The return url must be a valid absolute http or https URL." },
  { "return_url-ftp", NULL, "return_url", "\"ftp://shop.example/success\"", NULL, NULL, "return_url",
    "The return url must be a valid absolute http or https URL." },
  { "return_url-words", NULL, "return_url", "\"not a url\"", NULL, NULL, "return_url",
    "The return url must be a valid absolute http or https URL." },
  { "return_url-no-host", NULL, "return_url", "\"https:///success\"", NULL, NULL, "return_url",
    "The return url must be a valid absolute http or https URL." },
  { "cancel_url-javascript", NULL, "cancel_url", "\"javascript:alert(1)\"", NULL, NULL, "cancel_url",
    "The cancel url must be a valid absolute http or https URL." },
  { "cancel_url-number", NULL, "cancel_url", "1", NULL, NULL, "cancel_url", "The cancel url must be a string." },
  { "metadata-string", NULL, "metadata", "\"order 42\"", NULL, NULL, "metadata", "The metadata must be an object." },
  { "metadata-array", NULL, "metadata", "[1, 2]", NULL, NULL, "metadata", "The metadata must be an object." },
  { "metadata-number", NULL, "metadata", "7", NULL, NULL, "metadata", "The metadata must be an object." },
};

static void
test_validation_case (gconstpointer data)
{
  const ValidationCase *vc = data;
  g_autoptr(JsonObject) req = payment_request ("mpgs", vc->card ? vc->card : "4242424242424242");
  g_autoptr(PdTestResponse) resp = NULL;
  g_autoptr(GList) members = NULL;
  JsonObject *obj, *errors;
  JsonArray *messages;

  set_raw_member (req, vc->field, vc->value);
  if (vc->field2 != NULL)
    set_raw_member (req, vc->field2, vc->value2);

  resp = initialize (req);
  obj = pd_test_response_object (resp);
  g_assert_cmpuint (resp->status, ==, 422);
  g_assert_false (json_object_get_boolean_member (obj, "success"));
  g_assert_cmpstr (json_object_get_string_member (obj, "message"), ==, "Validation failed");

  /* Only the field at fault is reported. */
  errors = json_object_get_object_member (obj, "errors");
  members = json_object_get_members (errors);
  if (g_list_length (members) != 1 || !json_object_has_member (errors, vc->error_field))
    g_error ("unexpected errors: %s", pd_test_response_text (resp));
  messages = json_object_get_array_member (errors, vc->error_field);
  g_assert_cmpuint (json_array_get_length (messages), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (messages, 0), ==, vc->message);
}

static void
test_validation_all_at_once (void)
{
  static const char * const required[] = {
    "order_id", "amount", "currency", "payment_provider", "card_number", "exp_month", "exp_year", "cvv", NULL
  };
  g_autoptr(PdTestResponse) empty_object = pd_test_pesogate (sb, "POST", "/payments/initialize", "{}");
  g_autoptr(PdTestResponse) empty_body = pd_test_pesogate (sb, "POST", "/payments/initialize", NULL);
  g_autoptr(PdTestResponse) all_wrong = NULL;
  JsonObject *errors;

  /* The spec's own 422 example, field by field. */
  assert_pesogate_error (empty_object, 422, "Validation failed");
  errors = json_object_get_object_member (pd_test_response_object (empty_object), "errors");
  assert_keys (errors, required);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (errors, "amount"), 0), ==,
                   "The amount field is required.");
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (errors, "payment_provider"), 0), ==,
                   "The payment provider field is required.");

  assert_pesogate_error (empty_body, 422, "Validation failed");
  assert_keys (json_object_get_object_member (pd_test_response_object (empty_body), "errors"), required);

  all_wrong = pd_test_pesogate (sb, "POST", "/payments/initialize",
                                "{\"order_id\": 1, \"amount\": \"ten\", \"currency\": \"usd\","
                                " \"payment_provider\": \"stripe\", \"card_number\": \"4111 1111\","
                                " \"exp_month\": \"13\", \"exp_year\": \"3\", \"cvv\": \"x\","
                                " \"customer_email\": \"nobody\", \"customer_name\": false,"
                                " \"customer_phone\": {}, \"return_url\": \"/ok\", \"cancel_url\": \"mailto:a@b.c\","
                                " \"metadata\": []}");
  {
    static const char * const every_field[] = {
      "order_id", "amount", "currency", "payment_provider", "card_number", "exp_month", "exp_year", "cvv",
      "customer_email", "customer_name", "customer_phone", "return_url", "cancel_url", "metadata", NULL
    };

    assert_pesogate_error (all_wrong, 422, "Validation failed");
    assert_keys (json_object_get_object_member (pd_test_response_object (all_wrong), "errors"), every_field);
  }
}

static void
assert_accepted (JsonObject *req)
{
  g_autoptr(PdTestResponse) resp = initialize (req);

  if (resp->status != 200)
    g_error ("refused (%u): %s", resp->status, pd_test_response_text (resp));
  g_assert_true (json_object_get_boolean_member (pd_test_response_object (resp), "success"));
}

static void
test_validation_accepts (void)
{
  static const struct { const char *field, *value, *field2, *value2; } variants[] = {
    { "exp_month", "\"1\"", NULL, NULL },
    { "exp_month", "\"01\"", NULL, NULL },
    { "exp_month", "\"9\"", NULL, NULL },
    { "exp_month", "12", NULL, NULL },
    { "exp_month", "3", NULL, NULL },
    { "exp_year", "2099", NULL, NULL },
    { "exp_year", "\"99\"", NULL, NULL },
    { "exp_year", "99", NULL, NULL },
    { "amount", "100", NULL, NULL },
    { "amount", "0.01", NULL, NULL },
    { "amount", "1.10", NULL, NULL },
    { "amount", "999999999.99", NULL, NULL },
    { "amount", "1500", "currency", "\"JPY\"" },
    { "amount", "1500.0", "currency", "\"JPY\"" },
    { "amount", "1.234", "currency", "\"KWD\"" },
    { "amount", "0.01", "currency", "\"KWD\"" },
    { "currency", "\"EUR\"", NULL, NULL },
    { "currency", "\"KES\"", NULL, NULL },
    { "currency", "\"MZN\"", NULL, NULL },
    { "customer_email", "null", "customer_name", "null" },
    { "customer_email", NULL, "customer_phone", "\"+258841234567\"" },
    { "return_url", "\"http://127.0.0.1:9/done?x=1\"", "cancel_url", NULL },
    { "metadata", "{\"cart\": [1, 2], \"note\": \"gift\"}", NULL, NULL },
    { "metadata", "null", "unknown_extra_field", "true" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (variants); i++)
    {
      g_autoptr(JsonObject) req = payment_request ("mpgs", "4242424242424242");

      set_raw_member (req, variants[i].field, variants[i].value);
      if (variants[i].field2 != NULL)
        set_raw_member (req, variants[i].field2, variants[i].value2);
      assert_accepted (req);
    }

  /* American Express takes a four-digit CVV, in both tables. */
  {
    g_autoptr(JsonObject) cs = payment_request ("cybersource", "378282246310005");
    g_autoptr(JsonObject) mpgs = payment_request ("mpgs", "340000000000009");

    g_assert_cmpstr (json_object_get_string_member (cs, "cvv"), ==, "1234");
    assert_accepted (cs);
    assert_accepted (mpgs);
  }
}

/* The sandbox's date, read from a transaction it just created. */
static GDateTime *
sandbox_today (void)
{
  g_autoptr(JsonObject) req = payment_request ("mpgs", "4242424242424242");
  g_autoptr(PdTestResponse) resp = initialize (req);
  const char *reference = json_object_get_string_member (pd_test_response_object (resp), "transaction_reference");
  g_autoptr(PdTestResponse) status = get_status (reference);
  JsonObject *data = json_object_get_object_member (pd_test_response_object (status), "data");

  return g_date_time_new_from_iso8601 (json_object_get_string_member (data, "created_at"), NULL);
}

static void
test_validation_expiry_month (void)
{
  g_autoptr(GDateTime) today = sandbox_today ();
  g_autoptr(GDateTime) last_month = g_date_time_add_months (today, -1);
  g_autoptr(JsonObject) current = payment_request ("cybersource", "4111111111111111");
  g_autoptr(JsonObject) previous = payment_request ("cybersource", "4111111111111111");
  g_autoptr(JsonObject) previous_short = payment_request ("cybersource", "4111111111111111");
  g_autofree char *year = g_strdup_printf ("%d", g_date_time_get_year (today));
  g_autofree char *month = g_strdup_printf ("%02d", g_date_time_get_month (today));
  g_autofree char *last_year = g_strdup_printf ("%d", g_date_time_get_year (last_month));
  g_autofree char *last_year_short = g_strdup_printf ("%02d", g_date_time_get_year (last_month) % 100);
  g_autofree char *last = g_strdup_printf ("%d", g_date_time_get_month (last_month));
  g_autoptr(PdTestResponse) resp = NULL;
  g_autoptr(PdTestResponse) resp_short = NULL;

  /* Valid through the end of its month. */
  json_object_set_string_member (current, "exp_month", month);
  json_object_set_string_member (current, "exp_year", year);
  assert_accepted (current);

  json_object_set_string_member (previous, "exp_month", last);
  json_object_set_string_member (previous, "exp_year", last_year);
  resp = initialize (previous);
  assert_body (resp, 422, "{\"success\":false,\"message\":\"Validation failed\","
                          "\"errors\":{\"exp_year\":[\"The card has expired.\"]}}");

  json_object_set_string_member (previous_short, "exp_month", last);
  json_object_set_string_member (previous_short, "exp_year", last_year_short);
  resp_short = initialize (previous_short);
  assert_body (resp_short, 422, "{\"success\":false,\"message\":\"Validation failed\","
                                "\"errors\":{\"exp_year\":[\"The card has expired.\"]}}");
}

static void
test_validation_duplicate_order_id (void)
{
  g_autoptr(JsonObject) first = payment_request ("mpgs", "4242424242424242");
  g_autoptr(JsonObject) declined = payment_request ("mpgs", "4012888888881881");
  g_autoptr(JsonObject) invalid = payment_request ("mpgs", "4242424242424242");
  g_autoptr(PdTestResponse) resp = NULL;
  const char *taken = "{\"success\":false,\"message\":\"Validation failed\","
                      "\"errors\":{\"order_id\":[\"The order id has already been taken.\"]}}";

  assert_accepted (first);
  g_clear_pointer (&resp, pd_test_response_free);
  resp = initialize (first);
  assert_body (resp, 422, taken);

  /* Even with another card and provider. */
  json_object_set_string_member (first, "payment_provider", "cybersource");
  json_object_set_string_member (first, "card_number", "5555555555554444");
  g_clear_pointer (&resp, pd_test_response_free);
  resp = initialize (first);
  assert_body (resp, 422, taken);

  /* A payment that will be declined used its order id too. */
  g_clear_pointer (&resp, pd_test_response_free);
  resp = initialize (declined);
  g_assert_cmpuint (resp->status, ==, 200);
  json_object_set_string_member (declined, "card_number", "4242424242424242");
  g_clear_pointer (&resp, pd_test_response_free);
  resp = initialize (declined);
  assert_body (resp, 422, taken);

  /* A refused request did not. */
  json_object_set_string_member (invalid, "currency", "???");
  g_clear_pointer (&resp, pd_test_response_free);
  resp = initialize (invalid);
  g_assert_cmpuint (resp->status, ==, 422);
  json_object_set_string_member (invalid, "currency", "USD");
  assert_accepted (invalid);
}

/* 3-D Secure */

typedef struct
{
  const char *provider;
  const char *number;
  const char *brand;
  const char *display;
  gboolean    succeeds;
} TableCard;

static const TableCard table_cards[] = {
  { "cybersource", "4111111111111111", "visa", "Visa", TRUE },
  { "cybersource", "5555555555554444", "mastercard", "Mastercard", TRUE },
  { "cybersource", "378282246310005", "amex", "American Express", TRUE },
  { "cybersource", "4111111111111112", "visa", "Visa", FALSE },
  { "mpgs", "4242424242424242", "visa", "Visa", TRUE },
  { "mpgs", "5123450000000008", "mastercard", "Mastercard", TRUE },
  { "mpgs", "340000000000009", "amex", "American Express", TRUE },
  { "mpgs", "4000000000000002", "visa", "Visa", FALSE },
};

static void
test_3ds_table_card (gconstpointer data)
{
  const TableCard *card = data;
  g_autoptr(JsonObject) req = payment_request (card->provider, card->number);
  g_autoptr(PdTestResponse) resp = NULL;
  g_autoptr(PdTestResponse) after = NULL;
  g_autoptr(Form) acs = NULL;
  g_autoptr(Page) done = NULL;
  g_autofree char *reference = NULL;
  JsonObject *data_obj;

  resp = initialize (req);
  g_assert_cmpuint (resp->status, ==, 200);
  g_assert_null (strstr (pd_test_response_text (resp), card->number));
  reference = g_strdup (json_object_get_string_member (pd_test_response_object (resp), "transaction_reference"));
  g_assert_true (g_uuid_string_is_valid (reference));
  assert_status (reference, "initialized");

  acs = open_challenge (pd_test_response_object (resp), card->provider, card->number, "100.50 USD", card->display);
  assert_status (reference, "pending");

  done = submit_form (acs, "1234", "submit");
  assert_redirect (done, card->succeeds ? RETURN_URL : CANCEL_URL, reference);

  after = get_status (reference);
  data_obj = json_object_get_object_member (pd_test_response_object (after), "data");
  g_assert_cmpstr (json_object_get_string_member (data_obj, "status"), ==, card->succeeds ? "completed" : "failed");
  g_assert_cmpstr (json_object_get_string_member (data_obj, "card_type"), ==, card->brand);
  g_assert_cmpstr (json_object_get_string_member (data_obj, "card_last_four"), ==,
                   card->number + strlen (card->number) - 4);
  g_assert_cmpfloat (json_object_get_double_member (data_obj, "amount"), ==, 100.5);
  if (card->succeeds)
    g_assert_nonnull (json_object_get_string_member (data_obj, "completed_at"));
  else
    g_assert_true (json_object_get_null_member (data_obj, "completed_at"));
  g_assert_null (strstr (pd_test_response_text (after), card->number));
}

/* Starts a payment and opens its ACS page; returns the reference. */
static char *
start_challenge (JsonObject  *req,
                 Form       **acs_out)
{
  g_autoptr(PdTestResponse) resp = initialize (req);
  JsonObject *answer = pd_test_response_object (resp);
  const char *provider = json_object_get_string_member (req, "payment_provider");
  const char *card = json_object_get_string_member (req, "card_number");

  g_assert_cmpuint (resp->status, ==, 200);
  *acs_out = open_challenge (answer, provider, card, "", "");
  return g_strdup (json_object_get_string_member (answer, "transaction_reference"));
}

static void
test_3ds_wrong_code (void)
{
  static const char * const codes[] = { "1235", "", "12345", "abcd", " 1234x" };

  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      g_autoptr(JsonObject) req = payment_request (i % 2 ? "cybersource" : "mpgs",
                                                   i % 2 ? "5555555555554444" : "5123450000000008");
      g_autoptr(Form) acs = NULL;
      g_autofree char *reference = start_challenge (req, &acs);
      g_autoptr(Page) done = submit_form (acs, codes[i], "submit");

      assert_redirect (done, CANCEL_URL, reference);
      assert_status (reference, "failed");
    }
}

static void
test_3ds_cancel (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (table_cards); i++)
    {
      g_autoptr(JsonObject) req = payment_request (table_cards[i].provider, table_cards[i].number);
      g_autoptr(Form) acs = NULL;
      g_autofree char *reference = start_challenge (req, &acs);
      /* Cancel wins even with the right code typed. */
      g_autoptr(Page) done = submit_form (acs, "1234", "cancel");

      assert_redirect (done, CANCEL_URL, reference);
      assert_status (reference, "cancelled");
    }
}

static void
test_3ds_keeps_query (void)
{
  g_autoptr(JsonObject) pass = payment_request ("mpgs", "4242424242424242");
  g_autoptr(JsonObject) fail = payment_request ("cybersource", "4111111111111111");
  g_autoptr(Form) acs_pass = NULL;
  g_autoptr(Form) acs_fail = NULL;
  g_autofree char *ref_pass = NULL;
  g_autofree char *ref_fail = NULL;
  g_autoptr(Page) done_pass = NULL;
  g_autoptr(Page) done_fail = NULL;

  json_object_set_string_member (pass, "return_url", "https://shop.example/done?order=42&lang=en#top");
  json_object_set_string_member (fail, "cancel_url", "http://127.0.0.1:9/cancel?order=43");
  ref_pass = start_challenge (pass, &acs_pass);
  ref_fail = start_challenge (fail, &acs_fail);

  done_pass = submit_form (acs_pass, "1234", "submit");
  g_assert_cmpuint (done_pass->status, ==, 303);
  {
    g_autofree char *expected = g_strdup_printf ("https://shop.example/done?order=42&lang=en&reference=%s#top",
                                                 ref_pass);

    g_assert_cmpstr (done_pass->location, ==, expected);
  }

  done_fail = submit_form (acs_fail, "0000", "submit");
  assert_redirect (done_fail, "http://127.0.0.1:9/cancel?order=43", ref_fail);
}

static void
test_3ds_without_urls (void)
{
  static const struct { const char *provider, *card, *otp, *action, *status, *title; } cases[] = {
    { "mpgs", "4242424242424242", "1234", "submit", "completed", "Payment completed" },
    { "cybersource", "4111111111111112", "1234", "submit", "failed", "Payment failed" },
    { "mpgs", "5123450000000008", "9999", "submit", "failed", "Payment failed" },
    { "cybersource", "5555555555554444", "", "cancel", "cancelled", "Payment cancelled" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonObject) req = payment_request (cases[i].provider, cases[i].card);
      g_autoptr(Form) acs = NULL;
      g_autofree char *reference = NULL;
      g_autofree char *result_url = NULL;
      g_autoptr(Page) done = NULL;
      g_autoptr(Page) result = NULL;

      json_object_remove_member (req, "return_url");
      json_object_remove_member (req, "cancel_url");
      reference = start_challenge (req, &acs);
      done = submit_form (acs, cases[i].otp, cases[i].action);

      result_url = g_strdup_printf ("%s/pesogate/3ds/result/%s", pd_test_sandbox_origin (sb), reference);
      g_assert_cmpuint (done->status, ==, 303);
      g_assert_cmpstr (done->location, ==, result_url);

      result = browse ("GET", done->location, NULL);
      g_assert_cmpuint (result->status, ==, 200);
      g_assert_nonnull (strstr (result->body, cases[i].title));
      g_assert_nonnull (strstr (result->body, cases[i].status));
      g_assert_nonnull (strstr (result->body, reference));
      assert_status (reference, cases[i].status);
    }

  {
    g_autofree char *unknown = g_strdup_printf ("%s/pesogate/3ds/result/nope", pd_test_sandbox_origin (sb));
    g_autoptr(Page) page = browse ("GET", unknown, NULL);

    g_assert_cmpuint (page->status, ==, 404);
  }
}

static void
test_3ds_token_used_once (void)
{
  g_autoptr(JsonObject) req = payment_request ("cybersource", "4111111111111111");
  g_autoptr(PdTestResponse) resp = initialize (req);
  JsonObject *answer = pd_test_response_object (resp);
  const char *redirect_url = json_object_get_string_member (answer, "redirect_url");
  const char *reference = json_object_get_string_member (answer, "transaction_reference");
  g_autoptr(Page) redirect_page = browse ("GET", redirect_url, NULL);
  g_autoptr(Form) to_acs = find_form (redirect_page->body, redirect_url);
  g_autoptr(Page) acs_page = submit_form (to_acs, NULL, NULL);
  g_autoptr(Page) acs_again = submit_form (to_acs, NULL, NULL);
  g_autoptr(Form) acs = find_form (acs_page->body, acs_page->url);
  g_autoptr(Page) done = submit_form (acs, "1234", "submit");
  g_autoptr(Page) replay = submit_form (acs, "1234", "submit");
  g_autoptr(Page) replay_cancel = submit_form (acs, NULL, "cancel");
  g_autoptr(Page) acs_after = submit_form (to_acs, NULL, NULL);
  g_autoptr(Page) redirect_after = browse ("GET", redirect_url, NULL);

  /* Reloading the ACS page while the challenge runs is harmless. */
  g_assert_cmpuint (acs_again->status, ==, 200);
  assert_redirect (done, RETURN_URL, reference);

  g_assert_cmpuint (replay->status, ==, 410);
  g_assert_null (replay->location);
  g_assert_nonnull (strstr (replay->body, "challenge is over"));
  g_assert_cmpuint (replay_cancel->status, ==, 410);
  g_assert_cmpuint (acs_after->status, ==, 410);
  g_assert_nonnull (strstr (acs_after->body, "challenge is over"));
  g_assert_cmpuint (redirect_after->status, ==, 410);
  assert_status (reference, "completed");
}

static void
test_3ds_unknown_token (void)
{
  g_autofree char *acs_url = g_strconcat (pd_test_sandbox_origin (sb), "/pesogate/3ds/acs", NULL);
  g_autofree char *done_url = g_strconcat (pd_test_sandbox_origin (sb), "/pesogate/3ds/acs/complete", NULL);
  g_autofree char *redirect_url = g_strconcat (pd_test_sandbox_origin (sb), "/pesogate/3ds/redirect/nope", NULL);
  g_autoptr(GHashTable) bogus = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) empty = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(Page) acs = NULL;
  g_autoptr(Page) acs_empty = NULL;
  g_autoptr(Page) done = NULL;
  g_autoptr(Page) redirect = NULL;

  g_hash_table_insert (bogus, (gpointer) "creq", (gpointer) "<script>alert(1)</script>");
  g_hash_table_insert (bogus, (gpointer) "otp", (gpointer) "1234");
  acs = browse ("POST", acs_url, bogus);
  acs_empty = browse ("POST", acs_url, empty);
  done = browse ("POST", done_url, bogus);
  redirect = browse ("GET", redirect_url, NULL);

  g_assert_cmpuint (acs->status, ==, 404);
  g_assert_null (strstr (acs->body, "<script>alert"));
  g_assert_cmpuint (acs_empty->status, ==, 404);
  g_assert_cmpuint (done->status, ==, 404);
  g_assert_null (done->location);
  g_assert_cmpuint (redirect->status, ==, 404);
}

static void
test_3ds_timeout (void)
{
  g_autoptr(JsonObject) untouched = payment_request ("mpgs", "4242424242424242");
  g_autoptr(JsonObject) shown = payment_request ("cybersource", "4111111111111111");
  g_autoptr(JsonObject) in_time = payment_request ("mpgs", "5123450000000008");
  g_autoptr(PdTestResponse) resp = initialize (untouched);
  const char *untouched_ref = json_object_get_string_member (pd_test_response_object (resp), "transaction_reference");
  const char *html = json_object_get_string_member (pd_test_response_object (resp), "html_content");
  g_autofree char *origin_base = g_strconcat (pd_test_sandbox_origin (sb), "/", NULL);
  g_autoptr(Form) untouched_form = find_form (html, origin_base);
  g_autoptr(Form) shown_acs = NULL;
  g_autoptr(Form) in_time_acs = NULL;
  g_autofree char *shown_ref = start_challenge (shown, &shown_acs);
  g_autofree char *in_time_ref = start_challenge (in_time, &in_time_acs);
  g_autoptr(Page) late = NULL;
  g_autoptr(Page) late_acs = NULL;
  g_autoptr(Page) on_time = NULL;
  g_autoptr(PdTestResponse) late_refund = NULL;

  /* Nine minutes: still running. */
  pd_test_sandbox_advance_clock (sb, 9 * 60);
  assert_status (untouched_ref, "initialized");
  assert_status (shown_ref, "pending");
  on_time = submit_form (in_time_acs, "1234", "submit");
  assert_redirect (on_time, RETURN_URL, in_time_ref);

  /* Past ten minutes: over, whether the ACS was shown or not. */
  pd_test_sandbox_advance_clock (sb, 61);
  assert_status (untouched_ref, "failed");
  late = submit_form (shown_acs, "1234", "submit");
  g_assert_cmpuint (late->status, ==, 410);
  g_assert_nonnull (strstr (late->body, "challenge is over"));
  assert_status (shown_ref, "failed");
  late_acs = submit_form (untouched_form, NULL, NULL);
  g_assert_cmpuint (late_acs->status, ==, 410);

  /* A finished payment does not expire. */
  assert_status (in_time_ref, "completed");
  late_refund = refund (untouched_ref, NULL);
  assert_pesogate_error (late_refund, 400, "Cannot refund transaction: Transaction is not in a completed state");
}

/* Declines: the challenge runs, then the issuer says no */

static void
assert_declined (const char *provider,
                 const char *card,
                 const char *reason_part)
{
  g_autoptr(JsonObject) req = payment_request (provider, card);
  g_autoptr(Form) acs = NULL;
  g_autofree char *reference = NULL;
  g_autofree char *result_url = NULL;
  g_autoptr(Page) done = NULL;
  g_autoptr(Page) result = NULL;
  g_autoptr(PdTestResponse) status = NULL;
  JsonObject *data;

  json_object_remove_member (req, "return_url");
  json_object_remove_member (req, "cancel_url");
  reference = start_challenge (req, &acs);
  done = submit_form (acs, "1234", "submit");
  g_assert_cmpuint (done->status, ==, 303);

  status = get_status (reference);
  data = json_object_get_object_member (pd_test_response_object (status), "data");
  g_assert_cmpstr (json_object_get_string_member (data, "status"), ==, "failed");
  g_assert_cmpstr (json_object_get_string_member (data, "card_last_four"), ==, card + strlen (card) - 4);
  g_assert_true (json_object_get_null_member (data, "completed_at"));
  g_assert_null (strstr (pd_test_response_text (status), card));

  /* With no return URL the browser lands on a page that says why. */
  g_assert_nonnull (strstr (done->location, "/pesogate/3ds/result/"));
  result = browse ("GET", done->location, NULL);
  g_assert_cmpuint (result->status, ==, 200);
  g_assert_nonnull (strstr (result->body, "Card declined"));
  g_assert_nonnull (strstr (result->body, reason_part));
  g_assert_null (strstr (result->body, card));
}

static void
test_declined_other_provider (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (table_cards); i++)
    {
      const char *other = g_str_equal (table_cards[i].provider, "mpgs") ? "cybersource" : "mpgs";

      assert_declined (other, table_cards[i].number,
                       g_str_equal (other, "mpgs") ? "CyberSource test card" : "MPGS test card");
    }
}

static void
test_declined_unknown_card (void)
{
  /* Valid numbers (Luhn) that are in neither table. */
  assert_declined ("mpgs", "4012888888881881", "not a test card for the mpgs provider");
  assert_declined ("cybersource", "5105105105105100", "not a test card for the cybersource provider");
  assert_declined ("cybersource", "371449635398431", "not a test card");
  assert_declined ("mpgs", "6011111111111117", "not a test card");
}

/* Status */

static void
test_status_shape (void)
{
  g_autofree char *reference = pay_amount ("250.75", "EUR");
  g_autoptr(PdTestResponse) resp = get_status (reference);
  g_autoptr(PdTestResponse) head = NULL;
  JsonObject *obj = pd_test_response_object (resp);
  JsonObject *data = json_object_get_object_member (obj, "data");
  static const char * const top[] = { "success", "message", "data", NULL };
  static const char * const fields[] = {
    "status", "amount", "currency", "order_id", "payment_method", "card_type", "card_last_four", "created_at",
    "completed_at", NULL
  };
  g_autoptr(GDateTime) created = NULL;
  g_autoptr(GDateTime) completed = NULL;

  g_assert_cmpuint (resp->status, ==, 200);
  g_assert_true (g_str_has_prefix (soup_message_headers_get_content_type (resp->headers, NULL), "application/json"));
  assert_keys (obj, top);
  assert_keys (data, fields);
  g_assert_true (json_object_get_boolean_member (obj, "success"));
  g_assert_cmpstr (json_object_get_string_member (obj, "message"), ==, "Transaction status retrieved");
  g_assert_cmpstr (json_object_get_string_member (data, "status"), ==, "completed");
  g_assert_nonnull (strstr (pd_test_response_text (resp), "\"amount\":250.75,"));
  g_assert_cmpstr (json_object_get_string_member (data, "currency"), ==, "EUR");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (data, "order_id"), "TEST-"));
  g_assert_cmpstr (json_object_get_string_member (data, "payment_method"), ==, "card");
  g_assert_cmpstr (json_object_get_string_member (data, "card_type"), ==, "visa");
  g_assert_cmpstr (json_object_get_string_member (data, "card_last_four"), ==, "4242");

  /* ISO 8601 UTC as in the spec's example, completion after creation. */
  g_assert_true (g_str_has_suffix (json_object_get_string_member (data, "created_at"), "Z"));
  g_assert_cmpuint (strlen (json_object_get_string_member (data, "created_at")), ==, strlen ("2025-05-10T12:30:45Z"));
  created = g_date_time_new_from_iso8601 (json_object_get_string_member (data, "created_at"), NULL);
  completed = g_date_time_new_from_iso8601 (json_object_get_string_member (data, "completed_at"), NULL);
  g_assert_nonnull (created);
  g_assert_nonnull (completed);
  g_assert_cmpint (g_date_time_compare (created, completed), <=, 0);

  head = get_status ("00000000-0000-4000-8000-000000000000");
  assert_body (head, 404, "{\"success\":false,\"message\":\"Transaction not found\"}");
}

static void
test_status_amounts (void)
{
  static const struct { const char *amount, *currency, *written; } cases[] = {
    { "1500", "JPY", "\"amount\":1500," },
    { "100.10", "USD", "\"amount\":100.1," },
    { "0.07", "USD", "\"amount\":0.07," },
    { "12345.678", "KWD", "\"amount\":12345.678," },
    { "999999999.99", "KES", "\"amount\":999999999.99," },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonObject) req = payment_request ("mpgs", "4242424242424242");
      g_autoptr(PdTestResponse) resp = NULL;
      g_autoptr(PdTestResponse) status = NULL;
      JsonNode *amount;

      set_raw_member (req, "amount", cases[i].amount);
      json_object_set_string_member (req, "currency", cases[i].currency);
      resp = initialize (req);
      g_assert_cmpuint (resp->status, ==, 200);
      status = get_status (json_object_get_string_member (pd_test_response_object (resp), "transaction_reference"));
      if (strstr (pd_test_response_text (status), cases[i].written) == NULL)
        g_error ("%s not in %s", cases[i].written, pd_test_response_text (status));
      amount = json_object_get_member (json_object_get_object_member (pd_test_response_object (status), "data"),
                                       "amount");
      g_assert_cmpint (json_node_get_value_type (amount), ==,
                       g_str_equal (cases[i].currency, "JPY") ? G_TYPE_INT64 : G_TYPE_DOUBLE);
    }
}

/* Refunds */

static void
test_refund_full (void)
{
  g_autofree char *no_body = pay_amount ("100.50", "USD");
  g_autofree char *empty_object = pay_amount ("80", "USD");
  g_autofree char *null_amount = pay_amount ("3000", "JPY");
  g_autoptr(PdTestResponse) r1 = refund (no_body, NULL);
  g_autoptr(PdTestResponse) r2 = refund (empty_object, "{}");
  g_autoptr(PdTestResponse) r3 = refund (null_amount, "{\"amount\": null}");
  g_autoptr(PdTestResponse) again = refund (no_body, NULL);
  g_autoptr(PdTestResponse) again_partial = refund (empty_object, "{\"amount\": 0.01}");
  g_autofree char *expected = g_strdup_printf ("{\"success\":true,\"message\":\"Transaction refunded successfully\","
                                               "\"transaction_reference\":\"%s\"}", no_body);

  assert_body (r1, 200, expected);
  g_assert_cmpuint (r2->status, ==, 200);
  g_assert_cmpuint (r3->status, ==, 200);
  assert_status (no_body, "refunded");
  assert_status (empty_object, "refunded");
  assert_status (null_amount, "refunded");

  assert_pesogate_error (again, 400, "Cannot refund transaction: Transaction has already been fully refunded");
  assert_pesogate_error (again_partial, 400,
                         "Cannot refund transaction: Transaction has already been fully refunded");
}

static void
test_refund_partials (void)
{
  g_autofree char *reference = pay_amount ("100.50", "USD");
  static const char * const parts[] = { "{\"amount\": 30.25}", "{\"amount\": 20.25}", "{\"amount\": 0.01}",
                                        "{\"amount\": 49.99}" };

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      g_autoptr(PdTestResponse) resp = refund (reference, parts[i]);

      g_assert_cmpuint (resp->status, ==, 200);
      g_assert_true (json_object_get_boolean_member (pd_test_response_object (resp), "success"));
      /* Partly refunded is refunded, and can be refunded further. */
      assert_status (reference, "refunded");
    }

  {
    g_autoptr(PdTestResponse) nothing_left = refund (reference, "{\"amount\": 0.01}");
    g_autoptr(PdTestResponse) nothing_left_full = refund (reference, NULL);

    assert_pesogate_error (nothing_left, 400,
                           "Cannot refund transaction: Transaction has already been fully refunded");
    assert_pesogate_error (nothing_left_full, 400,
                           "Cannot refund transaction: Transaction has already been fully refunded");
  }

  /* A partial refund, then the remainder with no amount. */
  {
    g_autofree char *ref2 = pay_amount ("10", "EUR");
    g_autoptr(PdTestResponse) part = refund (ref2, "{\"amount\": 2.5}");
    g_autoptr(PdTestResponse) rest = refund (ref2, "");
    g_autoptr(PdTestResponse) more = refund (ref2, "{\"amount\": 0.01}");

    g_assert_cmpuint (part->status, ==, 200);
    g_assert_cmpuint (rest->status, ==, 200);
    g_assert_cmpuint (more->status, ==, 400);
  }
}

static void
test_refund_over (void)
{
  g_autofree char *reference = pay_amount ("100.50", "USD");
  g_autoptr(PdTestResponse) over = refund (reference, "{\"amount\": 100.51}");
  g_autoptr(PdTestResponse) part = NULL;
  g_autoptr(PdTestResponse) over_rest = NULL;
  g_autoptr(PdTestResponse) exact_rest = NULL;
  const char *message;

  g_assert_cmpuint (over->status, ==, 400);
  message = json_object_get_string_member (pd_test_response_object (over), "message");
  g_assert_true (g_str_has_prefix (message, "Cannot refund transaction: "));
  g_assert_nonnull (strstr (message, "100.50 USD"));
  assert_status (reference, "completed");

  part = refund (reference, "{\"amount\": 50}");
  g_assert_cmpuint (part->status, ==, 200);
  over_rest = refund (reference, "{\"amount\": 60}");
  g_assert_cmpuint (over_rest->status, ==, 400);
  g_assert_nonnull (strstr (json_object_get_string_member (pd_test_response_object (over_rest), "message"),
                            "50.50 USD"));
  exact_rest = refund (reference, "{\"amount\": 50.50}");
  g_assert_cmpuint (exact_rest->status, ==, 200);
}

static void
test_refund_not_completed (void)
{
  const char *not_completed = "{\"success\":false,\"message\":\"Cannot refund transaction: "
                              "Transaction is not in a completed state\"}";
  g_autoptr(JsonObject) failed_req = payment_request ("mpgs", "4000000000000002");
  g_autoptr(JsonObject) cancelled_req = payment_request ("cybersource", "4111111111111111");
  g_autoptr(JsonObject) pending_req = payment_request ("mpgs", "4242424242424242");
  g_autoptr(JsonObject) initialized_req = payment_request ("mpgs", "4242424242424242");
  g_autoptr(JsonObject) declined_req = payment_request ("mpgs", "4111111111111111");
  g_autoptr(Form) failed_acs = NULL;
  g_autoptr(Form) cancelled_acs = NULL;
  g_autoptr(Form) pending_acs = NULL;
  g_autofree char *failed = start_challenge (failed_req, &failed_acs);
  g_autofree char *cancelled = start_challenge (cancelled_req, &cancelled_acs);
  g_autofree char *pending = start_challenge (pending_req, &pending_acs);
  g_autoptr(Page) p1 = submit_form (failed_acs, "1234", "submit");
  g_autoptr(Page) p2 = submit_form (cancelled_acs, NULL, "cancel");
  g_autoptr(PdTestResponse) init = initialize (initialized_req);
  g_autoptr(PdTestResponse) declined = initialize (declined_req);
  const char *initialized = json_object_get_string_member (pd_test_response_object (init), "transaction_reference");
  const char *declined_ref = json_object_get_string_member (pd_test_response_object (declined),
                                                            "transaction_reference");
  const char *refs[] = { failed, cancelled, pending, initialized, declined_ref };

  for (guint i = 0; i < G_N_ELEMENTS (refs); i++)
    {
      g_autoptr(PdTestResponse) full = refund (refs[i], NULL);
      g_autoptr(PdTestResponse) partial = refund (refs[i], "{\"amount\": 1}");

      assert_body (full, 400, not_completed);
      assert_body (partial, 400, not_completed);
    }
  assert_status (failed, "failed");
  assert_status (cancelled, "cancelled");
  assert_status (pending, "pending");
}

static void
test_refund_not_found (void)
{
  g_autoptr(PdTestResponse) unknown = refund ("00000000-0000-4000-8000-000000000000", "{\"amount\": 1}");
  g_autoptr(PdTestResponse) garbage = refund ("not-a-reference", NULL);

  assert_body (unknown, 404, "{\"success\":false,\"message\":\"Transaction not found\"}");
  assert_body (garbage, 404, "{\"success\":false,\"message\":\"Transaction not found\"}");
}

static void
test_refund_invalid_amount (void)
{
  static const struct { const char *body, *message; } cases[] = {
    { "{\"amount\": \"10\"}", "The amount must be a number." },
    { "{\"amount\": true}", "The amount must be a number." },
    { "{\"amount\": [1]}", "The amount must be a number." },
    { "{\"amount\": 0}", "The amount must be at least 0.01." },
    { "{\"amount\": -5}", "The amount must be at least 0.01." },
    { "{\"amount\": 10.555}", "The amount must not have more than 2 decimal places for USD." },
    { "{\"amount\": 1e15}", "The amount must not be greater than 999999999.99." },
  };
  g_autofree char *reference = pay_amount ("100.50", "USD");
  g_autofree char *yen = pay_amount ("1000", "JPY");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(PdTestResponse) resp = refund (reference, cases[i].body);
      g_autofree char *expected = g_strdup_printf ("{\"success\":false,\"message\":\"Validation failed\","
                                                   "\"errors\":{\"amount\":[\"%s\"]}}", cases[i].message);

      assert_body (resp, 422, expected);
    }
  assert_status (reference, "completed");

  {
    g_autoptr(PdTestResponse) yen_decimals = refund (yen, "{\"amount\": 10.5}");
    g_autoptr(PdTestResponse) yen_whole = refund (yen, "{\"amount\": 10}");

    g_assert_cmpuint (yen_decimals->status, ==, 422);
    g_assert_cmpuint (yen_whole->status, ==, 200);
  }

  {
    g_autoptr(PdTestResponse) not_json = refund (reference, "amount=10");
    g_autoptr(PdTestResponse) array = refund (reference, "[10]");

    assert_body (not_json, 400, "{\"success\":false,\"message\":\"Malformed JSON body\"}");
    assert_body (array, 400, "{\"success\":false,\"message\":\"Malformed JSON body\"}");
  }
  assert_status (reference, "completed");
}

/* The spec's examples, sent as written */

static char *
spec_example_body (const char *order_id,
                   const char *provider,
                   const char *card)
{
  gint year = future_year () % 100;

  return g_strdup_printf ("{\n"
                          "\"order_id\": \"%s\",\n"
                          "\"amount\": 100.50,\n"
                          "\"currency\": \"USD\",\n"
                          "\"payment_provider\": \"%s\",\n"
                          "\"card_number\": \"%s\",\n"
                          "\"exp_month\": \"12\",\n"
                          "\"exp_year\": \"%02d\",\n"
                          "\"cvv\": \"123\",\n"
                          "\"customer_email\": \"customer@example.com\",\n"
                          "\"customer_name\": \"John Doe\",\n"
                          "\"return_url\": \"https://your-website.com/payment/success\",\n"
                          "\"cancel_url\": \"https://your-website.com/payment/cancel\"\n"
                          "}", order_id, provider, card, year);
}

static void
test_spec_examples (void)
{
  g_autofree char *order_verbatim = new_order_id ();
  g_autofree char *order_mpgs = new_order_id ();
  g_autofree char *order_cs = new_order_id ();
  g_autofree char *verbatim = spec_example_body (order_verbatim, "mpgs", "4111111111111111");
  g_autofree char *mpgs_card = spec_example_body (order_mpgs, "mpgs", "4242424242424242");
  g_autofree char *cs = spec_example_body (order_cs, "cybersource", "4111111111111111");
  g_autoptr(PdTestResponse) resp_verbatim = pd_test_pesogate (sb, "POST", "/payments/initialize", verbatim);
  g_autoptr(PdTestResponse) resp_mpgs = pd_test_pesogate (sb, "POST", "/payments/initialize", mpgs_card);
  g_autoptr(PdTestResponse) resp_cs = pd_test_pesogate (sb, "POST", "/payments/initialize", cs);
  JsonObject *obj;
  static const char * const success_keys[] = {
    "success", "message", "redirect_url", "transaction_reference", NULL
  };
  static const char * const html_keys[] = {
    "success", "message", "action", "html_content", "transaction_reference", NULL
  };

  /* The example as written (a CyberSource card with mpgs) gets its documented
   * 200; the issuer declines that card after the challenge. */
  obj = pd_test_response_object (resp_verbatim);
  g_assert_cmpuint (resp_verbatim->status, ==, 200);
  assert_keys (obj, html_keys);
  g_assert_true (json_object_get_boolean_member (obj, "success"));
  g_assert_true (g_uuid_string_is_valid (json_object_get_string_member (obj, "transaction_reference")));

  obj = pd_test_response_object (resp_mpgs);
  g_assert_cmpuint (resp_mpgs->status, ==, 200);
  assert_keys (obj, html_keys);
  g_assert_true (json_object_get_boolean_member (obj, "success"));
  g_assert_cmpstr (json_object_get_string_member (obj, "message"), ==, "3DS authentication required");
  g_assert_cmpstr (json_object_get_string_member (obj, "action"), ==, "render_html");
  g_assert_true (g_uuid_string_is_valid (json_object_get_string_member (obj, "transaction_reference")));

  /* The documented success response, member for member. */
  obj = pd_test_response_object (resp_cs);
  g_assert_cmpuint (resp_cs->status, ==, 200);
  assert_keys (obj, success_keys);
  g_assert_true (json_object_get_boolean_member (obj, "success"));
  g_assert_cmpstr (json_object_get_string_member (obj, "message"), ==, "Transaction initialized successfully");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (obj, "redirect_url"), "http://127.0.0.1:"));
  g_assert_true (g_uuid_string_is_valid (json_object_get_string_member (obj, "transaction_reference")));

  /* The documented 422: the example without its amount. */
  {
    g_autofree char *order = new_order_id ();
    g_autofree char *body = spec_example_body (order, "cybersource", "4111111111111111");
    g_autoptr(GString) no_amount = g_string_new (body);
    g_autoptr(PdTestResponse) resp = NULL;

    g_string_replace (no_amount, "\"amount\": 100.50,\n", "", 1);
    resp = pd_test_pesogate (sb, "POST", "/payments/initialize", no_amount->str);
    assert_body (resp, 422, "{\"success\":false,\"message\":\"Validation failed\","
                            "\"errors\":{\"amount\":[\"The amount field is required.\"]}}");
  }

  /* Status, refund of 50.25, and the refund error, as documented. */
  {
    g_autofree char *order = new_order_id ();
    g_autofree char *body = spec_example_body (order, "cybersource", "4111111111111111");
    g_autofree char *reference = pay ("cybersource", "4111111111111111", body);
    g_autoptr(PdTestResponse) status = NULL;
    g_autoptr(PdTestResponse) refunded = NULL;
    g_autoptr(PdTestResponse) declined_refund = NULL;
    g_autofree char *expected_refund = NULL;
    JsonObject *data;

    status = get_status (reference);
    data = json_object_get_object_member (pd_test_response_object (status), "data");
    g_assert_cmpuint (status->status, ==, 200);
    g_assert_cmpstr (json_object_get_string_member (data, "status"), ==, "completed");
    g_assert_cmpfloat (json_object_get_double_member (data, "amount"), ==, 100.50);
    g_assert_cmpstr (json_object_get_string_member (data, "order_id"), ==, order);
    g_assert_cmpstr (json_object_get_string_member (data, "card_type"), ==, "visa");
    g_assert_cmpstr (json_object_get_string_member (data, "card_last_four"), ==, "1111");

    refunded = refund (reference, "{\n\"amount\": 50.25\n}");
    expected_refund = g_strdup_printf ("{\"success\":true,\"message\":\"Transaction refunded successfully\","
                                       "\"transaction_reference\":\"%s\"}", reference);
    assert_body (refunded, 200, expected_refund);

    declined_refund = refund (json_object_get_string_member (pd_test_response_object (resp_verbatim),
                                                             "transaction_reference"),
                              "{\n\"amount\": 50.25\n}");
    assert_body (declined_refund, 400, "{\"success\":false,\"message\":\"Cannot refund transaction: "
                                       "Transaction is not in a completed state\"}");
  }
}

/* Garbage */

static void
test_garbage_bodies (void)
{
  /* status 0: any 4xx, where the JSON parser may refuse the text or not. */
  static const struct { const char *body; guint status; } cases[] = {
    { "not json at all", 400 },
    { "[1, 2, 3]", 400 },
    { "\"a string\"", 400 },
    { "42", 400 },
    { "null", 400 },
    { "{\"order_id\": ", 400 },
    { "{\"amount\": \"x\",}", 0 },
    { "{'amount': 'x'}", 0 },
    { "\xff\xfe{}", 400 },
    { "{\"amount\": 1e400}", 0 },
    { "{\"order_id\": {\"a\": {\"b\": [1, {\"c\": null}]}}, \"amount\": [], \"metadata\": {\"x\": [[[]]]}}", 422 },
    { "{\"order_id\": \"\\u0000\", \"card_number\": \"\\ud800\", \"amount\": \"\\u0031\"}", 0 },
  };
  g_autofree char *reference = pay_amount ("10", "USD");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(PdTestResponse) init = pd_test_pesogate (sb, "POST", "/payments/initialize", cases[i].body);
      g_autoptr(PdTestResponse) ref = refund (reference, cases[i].body);
      JsonObject *obj = pd_test_response_object (init);

      if (cases[i].status != 0 ? init->status != cases[i].status : init->status < 400 || init->status >= 500)
        g_error ("%s: %u %s", cases[i].body, init->status, pd_test_response_text (init));
      g_assert_false (json_object_get_boolean_member (obj, "success"));
      g_assert_cmpuint (ref->status, >=, 400);
      g_assert_cmpuint (ref->status, <, 500);
    }

  /* 300 KB and 1000 levels deep. */
  {
    g_autoptr(GString) big = g_string_new ("{\"order_id\": \"");
    g_autoptr(GString) deep_arrays = g_string_new ("{\"metadata\": ");
    g_autoptr(GString) deep_objects = g_string_new (NULL);
    g_autoptr(PdTestResponse) big_resp = NULL;
    g_autoptr(PdTestResponse) big_refund = NULL;
    g_autoptr(PdTestResponse) arrays_resp = NULL;
    g_autoptr(PdTestResponse) objects_resp = NULL;
    g_autoptr(PdTestResponse) objects_refund = NULL;

    for (guint i = 0; i < 300 * 1024; i++)
      g_string_append_c (big, 'x');
    g_string_append (big, "\"}");
    for (guint i = 0; i < 1000; i++)
      g_string_append_c (deep_arrays, '[');
    for (guint i = 0; i < 1000; i++)
      g_string_append_c (deep_arrays, ']');
    g_string_append_c (deep_arrays, '}');
    for (guint i = 0; i < 1000; i++)
      g_string_append (deep_objects, "{\"a\":");
    g_string_append (deep_objects, "1");
    for (guint i = 0; i < 1000; i++)
      g_string_append_c (deep_objects, '}');

    big_resp = pd_test_pesogate (sb, "POST", "/payments/initialize", big->str);
    big_refund = refund (reference, big->str);
    arrays_resp = pd_test_pesogate (sb, "POST", "/payments/initialize", deep_arrays->str);
    objects_resp = pd_test_pesogate (sb, "POST", "/payments/initialize", deep_objects->str);
    objects_refund = refund (reference, deep_objects->str);

    g_assert_cmpuint (big_resp->status, ==, 413);
    g_assert_false (json_object_get_boolean_member (pd_test_response_object (big_resp), "success"));
    g_assert_cmpuint (big_refund->status, ==, 413);
    g_assert_cmpuint (arrays_resp->status, ==, 400);
    g_assert_cmpuint (objects_resp->status, ==, 400);
    g_assert_cmpuint (objects_refund->status, ==, 400);
  }

  /* Form pages get garbage too. */
  {
    g_autofree char *acs_url = g_strconcat (pd_test_sandbox_origin (sb), "/pesogate/3ds/acs/complete", NULL);
    g_autoptr(GString) big_form = g_string_new ("creq=");
    g_autoptr(PdTestResponse) binary = pd_test_http (sb, "POST", acs_url, "application/x-www-form-urlencoded",
                                                     "%%%&&&==\x01\x02\xff", NULL);
    g_autoptr(PdTestResponse) big = NULL;

    for (guint i = 0; i < 300 * 1024; i++)
      g_string_append_c (big_form, 'a');
    big = pd_test_http (sb, "POST", acs_url, "application/x-www-form-urlencoded", big_form->str, NULL);
    g_assert_cmpuint (binary->status, ==, 404);
    g_assert_cmpuint (big->status, ==, 413);
  }

  /* Still standing, nothing changed. */
  assert_status (reference, "completed");
}

/* Demo data */

static void
test_demo (void)
{
  PdTestSandbox *demo = pd_test_sandbox_start (TRUE, 0);
  g_autoptr(PdTestResponse) info = pd_test_http (demo, "GET", "/_sandbox/info", NULL, NULL, NULL);
  JsonArray *refs = json_object_get_array_member (json_object_get_object_member (pd_test_response_object (info),
                                                                                 "pesogate"),
                                                  "references");
  g_autoptr(GHashTable) statuses = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) currencies = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) brands = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) previous = NULL;
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func ((GDestroyNotify) pd_test_response_free);
  static const char * const all_statuses[] = {
    "initialized", "pending", "authorized", "completed", "failed", "refunded", "cancelled", NULL
  };
  static const char * const all_currencies[] = { "USD", "EUR", "KES", "MZN", "JPY", NULL };
  static const char * const all_brands[] = { "visa", "mastercard", "amex", NULL };
  guint n = json_array_get_length (refs);
  guint partly_refunded = 0, fully_refunded = 0;

  g_assert_cmpuint (n, >=, 24);
  for (guint i = 0; i < n; i++)
    {
      const char *reference = json_array_get_string_element (refs, i);
      g_autofree char *path = g_strdup_printf ("/payments/%s/status", reference);
      PdTestResponse *resp = pd_test_pesogate (demo, "GET", path, NULL);
      JsonObject *data = NULL;

      if (resp->status != 200)
        g_error ("%s: %u %s", path, resp->status, pd_test_response_text (resp));
      data = json_object_get_object_member (pd_test_response_object (resp), "data");
      const char *status = json_object_get_string_member (data, "status");
      g_autoptr(GDateTime) created = g_date_time_new_from_iso8601 (json_object_get_string_member (data, "created_at"),
                                                                   NULL);
      gboolean done = g_str_equal (status, "completed") || g_str_equal (status, "refunded");

      g_ptr_array_add (keep, resp);
      g_assert_cmpuint (resp->status, ==, 200);
      g_assert_false (g_hash_table_contains (seen, reference));
      g_hash_table_add (seen, (gpointer) reference);
      g_hash_table_add (statuses, (gpointer) status);
      g_hash_table_add (currencies, (gpointer) json_object_get_string_member (data, "currency"));
      g_hash_table_add (brands, (gpointer) json_object_get_string_member (data, "card_type"));
      g_assert_cmpuint (strlen (json_object_get_string_member (data, "card_last_four")), ==, 4);
      g_assert_true (g_str_has_prefix (json_object_get_string_member (data, "order_id"), "DEMO-"));
      g_assert_true (json_object_get_null_member (data, "completed_at") != done);

      /* Over the last 60 days, newest first. */
      g_assert_nonnull (created);
      g_assert_cmpint (g_date_time_difference (now, created), >=, -G_TIME_SPAN_MINUTE);
      g_assert_cmpint (g_date_time_difference (now, created), <=, 60 * G_TIME_SPAN_DAY);
      if (previous != NULL)
        g_assert_cmpint (g_date_time_compare (created, previous), <=, 0);
      g_clear_pointer (&previous, g_date_time_unref);
      previous = g_date_time_ref (created);

      if (g_str_equal (status, "refunded"))
        {
          g_autofree char *refund_path = g_strdup_printf ("/payments/%s/refund", reference);
          g_autoptr(PdTestResponse) more = pd_test_pesogate (demo, "POST", refund_path, "{\"amount\": 1}");

          if (more->status == 200)
            partly_refunded++;
          else
            {
              assert_pesogate_error (more, 400,
                                     "Cannot refund transaction: Transaction has already been fully refunded");
              fully_refunded++;
            }
        }
    }

  for (guint i = 0; all_statuses[i] != NULL; i++)
    if (!g_hash_table_contains (statuses, all_statuses[i]))
      g_error ("no demo transaction is %s", all_statuses[i]);
  for (guint i = 0; all_currencies[i] != NULL; i++)
    g_assert_true (g_hash_table_contains (currencies, all_currencies[i]));
  for (guint i = 0; all_brands[i] != NULL; i++)
    g_assert_true (g_hash_table_contains (brands, all_brands[i]));
  g_assert_cmpuint (partly_refunded, >, 0);
  g_assert_cmpuint (fully_refunded, >, 0);

  /* Demo order ids are taken, new ones are free. */
  {
    g_autoptr(JsonObject) req = payment_request ("mpgs", "4242424242424242");
    g_autofree char *body = NULL;
    g_autofree char *taken_body = NULL;
    g_autoptr(PdTestResponse) fresh = NULL;
    g_autoptr(PdTestResponse) taken = NULL;
    g_autofree char *path = g_strdup_printf ("/payments/%s/status", json_array_get_string_element (refs, n - 1));
    g_autoptr(PdTestResponse) oldest = pd_test_pesogate (demo, "GET", path, NULL);
    const char *demo_order = json_object_get_string_member (json_object_get_object_member (
                               pd_test_response_object (oldest), "data"), "order_id");

    body = object_to_json (req);
    fresh = pd_test_pesogate (demo, "POST", "/payments/initialize", body);
    g_assert_cmpuint (fresh->status, ==, 200);

    json_object_set_string_member (req, "order_id", demo_order);
    taken_body = object_to_json (req);
    taken = pd_test_pesogate (demo, "POST", "/payments/initialize", taken_body);
    g_assert_cmpuint (taken->status, ==, 422);
  }

  pd_test_sandbox_stop (demo);
}

int
main (int    argc,
      char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  /* No rate limit here: the server's own test covers it. */
  sb = pd_test_sandbox_start (FALSE, 0);
  browser = soup_session_new_with_options ("timeout", 30, NULL);

  g_test_add_func ("/pd/sandbox/pesogate/auth/missing", test_auth_missing);
  g_test_add_func ("/pd/sandbox/pesogate/auth/wrong", test_auth_wrong);
  g_test_add_func ("/pd/sandbox/pesogate/routing/unknown-path", test_unknown_path);
  g_test_add_func ("/pd/sandbox/pesogate/routing/wrong-method", test_wrong_method);

  for (guint i = 0; i < G_N_ELEMENTS (validation_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/pd/sandbox/pesogate/validation/%s", validation_cases[i].name);

      g_test_add_data_func (path, &validation_cases[i], test_validation_case);
    }
  g_test_add_func ("/pd/sandbox/pesogate/validation/all-at-once", test_validation_all_at_once);
  g_test_add_func ("/pd/sandbox/pesogate/validation/accepts", test_validation_accepts);
  g_test_add_func ("/pd/sandbox/pesogate/validation/expiry-month", test_validation_expiry_month);
  g_test_add_func ("/pd/sandbox/pesogate/validation/duplicate-order-id", test_validation_duplicate_order_id);

  for (guint i = 0; i < G_N_ELEMENTS (table_cards); i++)
    {
      /* Named by brand and result: test names land in logs, card numbers never do. */
      g_autofree char *path = g_strdup_printf ("/pd/sandbox/pesogate/3ds/%s/%s-%s", table_cards[i].provider,
                                               table_cards[i].brand,
                                               table_cards[i].succeeds ? "success" : "decline");

      g_test_add_data_func (path, &table_cards[i], test_3ds_table_card);
    }
  g_test_add_func ("/pd/sandbox/pesogate/3ds/wrong-code", test_3ds_wrong_code);
  g_test_add_func ("/pd/sandbox/pesogate/3ds/cancel", test_3ds_cancel);
  g_test_add_func ("/pd/sandbox/pesogate/3ds/keeps-query", test_3ds_keeps_query);
  g_test_add_func ("/pd/sandbox/pesogate/3ds/without-urls", test_3ds_without_urls);
  g_test_add_func ("/pd/sandbox/pesogate/3ds/token-used-once", test_3ds_token_used_once);
  g_test_add_func ("/pd/sandbox/pesogate/3ds/unknown-token", test_3ds_unknown_token);
  g_test_add_func ("/pd/sandbox/pesogate/3ds/timeout", test_3ds_timeout);

  g_test_add_func ("/pd/sandbox/pesogate/declined/other-provider", test_declined_other_provider);
  g_test_add_func ("/pd/sandbox/pesogate/declined/unknown-card", test_declined_unknown_card);

  g_test_add_func ("/pd/sandbox/pesogate/status/shape", test_status_shape);
  g_test_add_func ("/pd/sandbox/pesogate/status/amounts", test_status_amounts);

  g_test_add_func ("/pd/sandbox/pesogate/refund/full", test_refund_full);
  g_test_add_func ("/pd/sandbox/pesogate/refund/partials", test_refund_partials);
  g_test_add_func ("/pd/sandbox/pesogate/refund/over", test_refund_over);
  g_test_add_func ("/pd/sandbox/pesogate/refund/not-completed", test_refund_not_completed);
  g_test_add_func ("/pd/sandbox/pesogate/refund/not-found", test_refund_not_found);
  g_test_add_func ("/pd/sandbox/pesogate/refund/invalid-amount", test_refund_invalid_amount);

  g_test_add_func ("/pd/sandbox/pesogate/spec-examples", test_spec_examples);
  g_test_add_func ("/pd/sandbox/pesogate/garbage-bodies", test_garbage_bodies);
  g_test_add_func ("/pd/sandbox/pesogate/demo", test_demo);

  ret = g_test_run ();

  g_clear_object (&browser);
  pd_test_sandbox_stop (sb);
  return ret;
}
