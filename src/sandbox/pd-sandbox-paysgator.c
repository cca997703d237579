/* pd-sandbox-paysgator.c
 *
 * The PaysGator half of the sandbox: payment links with a checkout page,
 * M-Pesa and card confirmation with a 2.5% fee, one MZN wallet per mode that
 * receives the net amount, transaction lookup, and subscriptions on seeded
 * plans with their own checkout page. Every object carries the mode (LIVE or
 * TEST) of the key that created it, and a key of the other mode gets
 * MODE_MISMATCH. Money is gint64 minor units throughout.
 */
#define G_LOG_DOMAIN "pd-sandbox-paysgator"

#include "config.h"

#include <string.h>

#include "pd-sandbox-paysgator-private.h"

G_DEFINE_QUARK (pd-sandbox-paysgator-error, pd_sandbox_paysgator_error)

G_DEFINE_FINAL_TYPE (PdSandboxPaysgator, pd_sandbox_paysgator, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SANDBOX,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
transaction_free (Transaction *txn)
{
  g_free (txn->id);
  g_free (txn);
}

static void
payment_link_free (PaymentLink *link)
{
  g_free (link->id);
  g_free (link->return_url);
  g_free (link->external_id);
  g_free (link);
}

static void
subscription_free (Subscription *sub)
{
  g_free (sub->id);
  g_free (sub->customer_email);
  g_free (sub->customer_name);
  g_free (sub);
}

const char *
pd_sandbox_paysgator_mode_name (gboolean live)
{
  return live ? "LIVE" : "TEST";
}

const char *
pd_sandbox_paysgator_method_name (Method method)
{
  switch (method)
    {
    case METHOD_MPESA:
      return "MPESA";
    case METHOD_CARD:
      return "CARD";
    case METHOD_NONE:
    default:
      return NULL;
    }
}

Method
pd_sandbox_paysgator_method_from_name (const char *name)
{
  if (g_strcmp0 (name, "MPESA") == 0)
    return METHOD_MPESA;
  if (g_strcmp0 (name, "CARD") == 0)
    return METHOD_CARD;
  return METHOD_NONE;
}

const PdIso4217 *
pd_sandbox_paysgator_wallet_currency (void)
{
  return pd_iso4217_lookup (WALLET_CURRENCY);
}

gint64
pd_sandbox_paysgator_minor_scale (guint exponent)
{
  gint64 scale = 1;

  for (guint i = 0; i < exponent; i++)
    scale *= 10;
  return scale;
}

static gint64
fee_for (gint64 amount)
{
  return (amount * FEE_PER_MILLE + 500) / 1000;
}

gint64
pd_sandbox_paysgator_sandbox_now (PdSandboxPaysgator *self)
{
  return pd_sandbox_now (self->sandbox);
}

char *
pd_sandbox_paysgator_format_amount (gint64           minor,
                                    const PdIso4217 *currency)
{
  char buf[PD_DECIMAL_BUF_SIZE];

  return g_strdup_printf ("%s %s", pd_decimal_format (minor, currency->exponent, buf), currency->code);
}

/* The state model */

Transaction *
pd_sandbox_paysgator_transaction_new (PdSandboxPaysgator *self,
                                      gboolean            live,
                                      gint64              amount,
                                      const PdIso4217    *currency,
                                      gint64              created_at)
{
  Transaction *txn = g_new0 (Transaction, 1);

  txn->id = pd_sandbox_new_id (self->demo_ids);
  txn->seq = self->next_seq++;
  txn->live = live;
  txn->amount = amount;
  txn->currency = currency;
  txn->status = TXN_PENDING;
  txn->created_at = created_at;
  g_hash_table_insert (self->transactions, txn->id, txn);
  return txn;
}

/* Ends a pending transaction; a success credits the net amount to the wallet. */
void
pd_sandbox_paysgator_transaction_settle (PdSandboxPaysgator *self,
                                         Transaction        *txn,
                                         Method              method,
                                         gboolean            success)
{
  txn->method = method;
  if (success)
    {
      txn->status = TXN_SUCCESS;
      txn->fee = fee_for (txn->amount);
      self->balance[txn->live ? 1 : 0] += txn->amount - txn->fee;
    }
  else
    txn->status = TXN_FAILED;
}

PaymentLink *
pd_sandbox_paysgator_payment_link_new (PdSandboxPaysgator *self,
                                       gboolean            live,
                                       gint64              amount,
                                       const PdIso4217    *currency,
                                       guint               methods,
                                       guint               fields,
                                       const char         *return_url,
                                       const char         *external_id,
                                       gint64              created_at)
{
  PaymentLink *link = g_new0 (PaymentLink, 1);

  link->id = pd_sandbox_new_id (self->demo_ids);
  link->live = live;
  link->transaction = pd_sandbox_paysgator_transaction_new (self, live, amount, currency, created_at);
  link->methods = methods;
  link->fields = fields;
  link->return_url = g_strdup (return_url);
  link->external_id = g_strdup (external_id);
  g_hash_table_insert (self->links, link->id, link);
  return link;
}

/* The API */

static gboolean
authenticate (SoupServerMessage  *msg,
              gboolean           *live_out,
              GError            **error)
{
  const char *key = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "X-Api-Key");

  if (key == NULL || key[0] == '\0')
    {
      g_set_error_literal (error, PAYS_ERROR, PAYS_ERROR_UNAUTHORIZED,
                           "Missing API key: send it in the X-Api-Key header");
      return FALSE;
    }
  if (g_str_equal (key, PD_SANDBOX_PAYSGATOR_LIVE_KEY))
    *live_out = TRUE;
  else if (g_str_equal (key, PD_SANDBOX_PAYSGATOR_TEST_KEY))
    *live_out = FALSE;
  else
    {
      g_set_error_literal (error, PAYS_ERROR, PAYS_ERROR_UNAUTHORIZED, "Invalid API key");
      return FALSE;
    }
  return TRUE;
}

static JsonObject *
read_body (SoupServerMessage  *msg,
           GError            **error)
{
  JsonObject *object = NULL;

  switch (pd_sandbox_parse_json_body (msg, &object))
    {
    case PD_SANDBOX_BODY_OK:
      return object;
    case PD_SANDBOX_BODY_EMPTY:
      /* Then each required field says that it is missing. */
      return json_object_new ();
    case PD_SANDBOX_BODY_TOO_LARGE:
      g_set_error (error, PAYS_ERROR, PAYS_ERROR_BODY_TOO_LARGE,
                   "The request body is larger than %d bytes", PD_SANDBOX_MAX_BODY);
      return NULL;
    case PD_SANDBOX_BODY_TOO_DEEP:
      g_set_error (error, PAYS_ERROR, PAYS_ERROR_MISSING_FIELDS,
                   "The request body is nested deeper than %d levels", PD_SANDBOX_MAX_DEPTH);
      return NULL;
    case PD_SANDBOX_BODY_NOT_OBJECT:
      g_set_error_literal (error, PAYS_ERROR, PAYS_ERROR_MISSING_FIELDS,
                           "The request body must be a JSON object");
      return NULL;
    case PD_SANDBOX_BODY_MALFORMED:
    default:
      g_set_error_literal (error, PAYS_ERROR, PAYS_ERROR_MISSING_FIELDS,
                           "The request body is not valid JSON");
      return NULL;
    }
}

gboolean
pd_sandbox_paysgator_check_mode (gboolean     live,
                                 gboolean     object_live,
                                 const char  *what,
                                 GError     **error)
{
  if (live == object_live)
    return TRUE;
  g_set_error (error, PAYS_ERROR, PAYS_ERROR_MODE_MISMATCH,
               "This %s belongs to %s mode; the API key is a %s key",
               what, pd_sandbox_paysgator_mode_name (object_live), pd_sandbox_paysgator_mode_name (live));
  return FALSE;
}

char *
pd_sandbox_paysgator_checkout_url (PdSandboxPaysgator *self,
                                   const char         *page_path)
{
  g_autofree char *origin = pd_sandbox_dup_origin (self->sandbox);

  return g_strconcat (origin, PD_SANDBOX_PAYSGATOR_PREFIX, page_path, NULL);
}

static JsonBuilder *
api_payment_create (PdSandboxPaysgator  *self,
                    SoupServerMessage   *msg,
                    gboolean             live,
                    const char          *id,
                    JsonObject          *body,
                    GError             **error)
{
  const PdIso4217 *currency;
  const char *currency_code;
  const char *return_url;
  const char *external_id;
  JsonObject *metadata;
  guint methods;
  guint fields;
  gint64 amount;
  PaymentLink *link;
  g_autofree char *page_path = NULL;
  g_autofree char *url = NULL;
  JsonBuilder *builder;

  if (pd_sandbox_paysgator_member (body, "amount") == NULL)
    {
      g_set_error_literal (error, PAYS_ERROR, PAYS_ERROR_MISSING_FIELDS, "amount is required");
      return NULL;
    }
  if (!pd_sandbox_paysgator_read_string (body, "currency", TRUE, &currency_code, error))
    return NULL;
  currency = pd_iso4217_lookup (currency_code);
  if (currency == NULL)
    {
      g_set_error_literal (error, PAYS_ERROR, PAYS_ERROR_MISSING_FIELDS,
                           "currency must be an ISO 4217 code such as MZN");
      return NULL;
    }
  if (!pd_sandbox_paysgator_read_amount (body, currency, &amount, error))
    return NULL;

  {
    const char *method_names[] = { "MPESA", "CARD" };

    if (!pd_sandbox_paysgator_read_choices (body, "payment_methods", method_names, G_N_ELEMENTS (method_names),
                                            &methods, error))
      return NULL;
    if (pd_sandbox_paysgator_member (body, "payment_methods") != NULL && methods == 0)
      {
        g_set_error_literal (error, PAYS_ERROR, PAYS_ERROR_MISSING_FIELDS,
                             "payment_methods must name at least one method (MPESA, CARD)");
        return NULL;
      }
    if (methods == 0)
      methods = ALL_METHODS;
  }

  if (!pd_sandbox_paysgator_read_string (body, "returnUrl", FALSE, &return_url, error))
    return NULL;
  if (return_url != NULL && !pd_sandbox_paysgator_url_valid (return_url))
    {
      g_set_error_literal (error, PAYS_ERROR, PAYS_ERROR_MISSING_FIELDS,
                           "returnUrl must be an absolute http or https URL");
      return NULL;
    }

  if (!pd_sandbox_paysgator_read_choices (body, "fields", customer_fields, G_N_ELEMENTS (customer_fields), &fields, error)
      || !pd_sandbox_paysgator_read_string (body, "externalTransactionId", FALSE, &external_id, error)
      /* Accepted and checked; nothing in the API gives metadata back. */
      || !pd_sandbox_paysgator_read_object (body, "metadata", &metadata, error))
    return NULL;

  if (!g_str_equal (currency->code, WALLET_CURRENCY))
    {
      g_set_error (error, PAYS_ERROR, PAYS_ERROR_CURRENCY_MISMATCH,
                   "The currency %s does not match the wallet's currency %s",
                   currency->code, WALLET_CURRENCY);
      return NULL;
    }

  link = pd_sandbox_paysgator_payment_link_new (self, live, amount, currency, methods, fields,
                                                return_url, external_id, pd_sandbox_paysgator_sandbox_now (self));
  page_path = g_strconcat ("/checkout/", link->id, NULL);
  url = pd_sandbox_paysgator_checkout_url (self, page_path);

  builder = pd_sandbox_paysgator_begin_success ();
  json_builder_begin_object (builder);
  pd_sandbox_paysgator_add_string (builder, "paymentlinkId", link->id);
  pd_sandbox_paysgator_add_string (builder, "checkoutUrl", url);
  pd_sandbox_paysgator_add_string (builder, "transactionId", link->transaction->id);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  return builder;
}

/* customer is optional; what it holds must be strings, and a valid email. */
static gboolean
check_customer (JsonObject  *body,
                GError     **error)
{
  const char *names[] = { "name", "email", "phone", "address", "country" };
  JsonObject *customer;

  if (!pd_sandbox_paysgator_read_object (body, "customer", &customer, error))
    return FALSE;
  if (customer == NULL)
    return TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      const char *value;

      if (!pd_sandbox_paysgator_read_string (customer, names[i], FALSE, &value, error))
        {
          g_prefix_error (error, "customer.");
          return FALSE;
        }
      if (g_str_equal (names[i], "email") && value != NULL && !pd_sandbox_paysgator_email_valid (value))
        {
          g_set_error_literal (error, PAYS_ERROR, PAYS_ERROR_MISSING_FIELDS,
                               "customer.email must be a valid email address");
          return FALSE;
        }
    }

  return TRUE;
}

static JsonBuilder *
api_payment_confirm (PdSandboxPaysgator  *self,
                     SoupServerMessage   *msg,
                     gboolean             live,
                     const char          *id,
                     JsonObject          *body,
                     GError             **error)
{
  const char *link_id;
  const char *method_text;
  const char *phone = NULL;
  JsonObject *payment_fields;
  PaymentLink *link;
  Method method;
  Transaction *txn;
  JsonBuilder *builder;

  if (!pd_sandbox_paysgator_read_string (body, "paymentLinkId", TRUE, &link_id, error)
      || !pd_sandbox_paysgator_read_string (body, "paymentMethod", TRUE, &method_text, error))
    return NULL;

  method = pd_sandbox_paysgator_method_from_name (method_text);
  if (method == METHOD_NONE)
    {
      g_set_error_literal (error, PAYS_ERROR, PAYS_ERROR_MISSING_FIELDS,
                           "paymentMethod must be MPESA or CARD");
      return NULL;
    }

  if (!pd_sandbox_paysgator_read_object (body, "payment_fields", &payment_fields, error))
    return NULL;
  if (payment_fields != NULL && !pd_sandbox_paysgator_read_string (payment_fields, "phoneNumber", FALSE, &phone, error))
    {
      g_prefix_error (error, "payment_fields.");
      return NULL;
    }
  if (!check_customer (body, error))
    return NULL;

  link = g_hash_table_lookup (self->links, link_id);
  if (link == NULL)
    {
      g_set_error_literal (error, PAYS_ERROR, PAYS_ERROR_NOT_FOUND, "Payment link not found");
      return NULL;
    }
  if (!pd_sandbox_paysgator_check_mode (live, link->live, "payment link", error)
      || !pd_sandbox_paysgator_confirm_link (self, link, method, phone, error))
    return NULL;

  txn = link->transaction;
  builder = pd_sandbox_paysgator_begin_success ();
  json_builder_begin_object (builder);
  pd_sandbox_paysgator_add_string (builder, "transactionId", txn->id);
  pd_sandbox_paysgator_add_amount (builder, "fee", txn->fee, txn->currency);
  pd_sandbox_paysgator_add_amount (builder, "netAmount", txn->amount - txn->fee, txn->currency);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  return builder;
}

GHashTable *
pd_sandbox_paysgator_read_query (SoupServerMessage *msg)
{
  const char *query = g_uri_get_query (soup_server_message_get_uri (msg));

  if (query == NULL)
    return g_hash_table_new (g_str_hash, g_str_equal);
  return soup_form_decode (query);
}

static JsonBuilder *
api_wallet_balance (PdSandboxPaysgator  *self,
                    SoupServerMessage   *msg,
                    gboolean             live,
                    const char          *id,
                    JsonObject          *body,
                    GError             **error)
{
  g_autoptr(GHashTable) query = pd_sandbox_paysgator_read_query (msg);
  const char *wanted = g_hash_table_lookup (query, "currency");
  const PdIso4217 *currency = pd_sandbox_paysgator_wallet_currency ();
  char buf[PD_DECIMAL_BUF_SIZE];
  JsonBuilder *builder;

  /* Beyond the spec: a merchant has one wallet per currency, and this
   * sandbox only the MZN one, so asking for another is WALLET_NOT_FOUND. */
  if (wanted != NULL && wanted[0] != '\0')
    {
      if (pd_iso4217_lookup (wanted) == NULL)
        {
          g_set_error_literal (error, PAYS_ERROR, PAYS_ERROR_MISSING_FIELDS,
                               "currency must be an ISO 4217 code such as MZN");
          return NULL;
        }
      if (!g_str_equal (wanted, currency->code))
        {
          g_set_error (error, PAYS_ERROR, PAYS_ERROR_WALLET_NOT_FOUND,
                       "No %s wallet: this key's wallet holds %s", wanted, currency->code);
          return NULL;
        }
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  pd_sandbox_paysgator_add_string (builder, "walletId", wallet_ids[live ? 1 : 0]);
  pd_sandbox_paysgator_add_string (builder, "currency", currency->code);
  pd_sandbox_paysgator_add_string (builder, "balance",
                                   pd_decimal_format (self->balance[live ? 1 : 0], currency->exponent, buf));
  pd_sandbox_paysgator_add_string (builder, "mode", pd_sandbox_paysgator_mode_name (live));
  json_builder_end_object (builder);
  return builder;
}

static JsonBuilder *
api_transaction_get (PdSandboxPaysgator  *self,
                     SoupServerMessage   *msg,
                     gboolean             live,
                     const char          *id,
                     JsonObject          *body,
                     GError             **error)
{
  Transaction *txn = g_hash_table_lookup (self->transactions, id);
  JsonBuilder *builder;

  if (txn == NULL)
    {
      g_set_error_literal (error, PAYS_ERROR, PAYS_ERROR_NOT_FOUND, "Transaction not found");
      return NULL;
    }
  if (!pd_sandbox_paysgator_check_mode (live, txn->live, "transaction", error))
    return NULL;

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  pd_sandbox_paysgator_add_string (builder, "id", txn->id);
  pd_sandbox_paysgator_add_amount (builder, "amount", txn->amount, txn->currency);
  pd_sandbox_paysgator_add_string (builder, "currency", txn->currency->code);
  pd_sandbox_paysgator_add_string (builder, "status", txn_status_names[txn->status]);
  pd_sandbox_paysgator_add_string (builder, "method", pd_sandbox_paysgator_method_name (txn->method));
  pd_sandbox_paysgator_add_time (builder, "createdAt", txn->created_at);
  pd_sandbox_paysgator_add_string (builder, "mode", pd_sandbox_paysgator_mode_name (txn->live));
  json_builder_end_object (builder);
  return builder;
}

/* Newest first; among equal times, the one created last first. */
int
pd_sandbox_paysgator_compare_newest_first (gint64  time_a,
                                           guint64 seq_a,
                                           gint64  time_b,
                                           guint64 seq_b)
{
  if (time_a != time_b)
    return time_a < time_b ? 1 : -1;
  return seq_a < seq_b ? 1 : (seq_a > seq_b ? -1 : 0);
}

static int
compare_transactions (gconstpointer a,
                      gconstpointer b)
{
  const Transaction *ta = *(Transaction * const *) a;
  const Transaction *tb = *(Transaction * const *) b;

  return pd_sandbox_paysgator_compare_newest_first (ta->created_at, ta->seq, tb->created_at, tb->seq);
}

typedef JsonBuilder *(*ApiHandler) (PdSandboxPaysgator  *self,
                                    SoupServerMessage   *msg,
                                    gboolean             live,
                                    const char          *id,
                                    JsonObject          *body,
                                    GError             **error);

typedef struct
{
  const char *method;
  const char *pattern;          /* under /api/v1/; "{id}" is one path segment */
  ApiHandler  handler;
} ApiRoute;

static const ApiRoute api_routes[] = {
  { "POST", "payment/create", api_payment_create },
  { "POST", "payment/confirm", api_payment_confirm },
  { "GET", "wallet/balance", api_wallet_balance },
  { "GET", "transactions/{id}", api_transaction_get },
  { "POST", "subscription/create", pd_sandbox_paysgator_api_subscription_create },
  { "GET", "subscription/{id}", pd_sandbox_paysgator_api_subscription_get },
  { "GET", "subscriptions", pd_sandbox_paysgator_api_subscription_list },
  { "PATCH", "subscriptions/{id}", pd_sandbox_paysgator_api_subscription_update },
};

static gboolean
route_matches (const char  *pattern,
               const char  *path,
               char       **id_out)
{
  const char *slot = strstr (pattern, "{id}");
  const char *id;

  if (slot == NULL)
    return g_str_equal (pattern, path);

  if (strncmp (pattern, path, (gsize) (slot - pattern)) != 0)
    return FALSE;
  id = path + (slot - pattern);
  if (id[0] == '\0' || strchr (id, '/') != NULL)
    return FALSE;

  *id_out = g_strdup (id);
  return TRUE;
}

static void
handle_api (PdSandboxPaysgator *self,
            SoupServerMessage  *msg,
            const char         *api_path)
{
  const char *method = soup_server_message_get_method (msg);
  g_autoptr(GString) allow = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autofree char *id = NULL;
  const ApiRoute *route = NULL;
  gboolean live = FALSE;

  /* Fixed paths first, so that "subscription/create" is never an id. */
  for (guint pass = 0; pass < 2 && route == NULL && allow->len == 0; pass++)
    for (guint i = 0; i < G_N_ELEMENTS (api_routes) && route == NULL; i++)
      {
        g_autofree char *route_id = NULL;
        gboolean has_slot = strstr (api_routes[i].pattern, "{id}") != NULL;

        if (has_slot != (pass == 1) || !route_matches (api_routes[i].pattern, api_path, &route_id))
          continue;
        if (g_str_equal (method, api_routes[i].method))
          {
            route = &api_routes[i];
            id = g_steal_pointer (&route_id);
          }
        else
          g_string_append_printf (allow, "%s%s", allow->len > 0 ? ", " : "", api_routes[i].method);
      }

  if (route == NULL && allow->len == 0)
    {
      pd_sandbox_reply_paysgator_error (msg, SOUP_STATUS_NOT_FOUND, "NOT_FOUND", "No such endpoint");
      return;
    }
  if (route == NULL)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", allow->str);
      g_set_error (&error, PAYS_ERROR, PAYS_ERROR_METHOD_NOT_ALLOWED,
                   "This endpoint only accepts %s", allow->str);
      pd_sandbox_paysgator_reply_error (msg, error);
      return;
    }

  if (!authenticate (msg, &live, &error)
      || (!g_str_equal (route->method, "GET") && (body = read_body (msg, &error)) == NULL)
      || (builder = route->handler (self, msg, live, id, body, &error)) == NULL)
    {
      pd_sandbox_paysgator_reply_error (msg, error);
      return;
    }

  pd_sandbox_reply_json (msg, SOUP_STATUS_OK, builder);
}

/* The segment of @path between @prefix and @suffix, if it is one segment. */
static char *
path_segment (const char *path,
              const char *prefix,
              const char *suffix)
{
  gsize path_len = strlen (path);
  gsize prefix_len = strlen (prefix);
  gsize suffix_len = strlen (suffix);
  g_autofree char *segment = NULL;

  if (path_len <= prefix_len + suffix_len
      || !g_str_has_prefix (path, prefix) || !g_str_has_suffix (path, suffix))
    return NULL;

  segment = g_strndup (path + prefix_len, path_len - prefix_len - suffix_len);
  return strchr (segment, '/') == NULL ? g_steal_pointer (&segment) : NULL;
}

void
pd_sandbox_paysgator_handle (PdSandboxPaysgator *self,
                             SoupServerMessage  *msg,
                             const char         *path)
{
  g_autofree char *link_id = NULL;
  g_autofree char *sub_id = NULL;

  g_return_if_fail (PD_IS_SANDBOX_PAYSGATOR (self));
  g_return_if_fail (SOUP_IS_SERVER_MESSAGE (msg));
  g_return_if_fail (path != NULL);

  if (g_str_has_prefix (path, PD_SANDBOX_API_PATH "/"))
    handle_api (self, msg, path + strlen (PD_SANDBOX_API_PATH "/"));
  else if ((link_id = path_segment (path, "/checkout/", "")) != NULL)
    pd_sandbox_paysgator_handle_link_checkout (self, msg, link_id);
  else if ((sub_id = path_segment (path, "/subscription/", "/checkout")) != NULL)
    pd_sandbox_paysgator_handle_subscription_checkout (self, msg, sub_id);
  else
    pd_sandbox_reply_paysgator_error (msg, SOUP_STATUS_NOT_FOUND, "NOT_FOUND", "No such endpoint");
}

GStrv
pd_sandbox_paysgator_dup_plan_ids (PdSandboxPaysgator *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (PD_IS_SANDBOX_PAYSGATOR (self), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (plans); i++)
    g_strv_builder_add (builder, plans[i].id);
  return g_strv_builder_end (builder);
}

GStrv
pd_sandbox_paysgator_dup_transaction_ids (PdSandboxPaysgator *self,
                                          gboolean            live)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new ();
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (PD_IS_SANDBOX_PAYSGATOR (self), NULL);

  g_hash_table_iter_init (&iter, self->transactions);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (((Transaction *) value)->live == !!live)
      g_ptr_array_add (list, value);
  g_ptr_array_sort (list, compare_transactions);

  for (guint i = 0; i < list->len; i++)
    g_strv_builder_add (builder, ((Transaction *) g_ptr_array_index (list, i))->id);
  return g_strv_builder_end (builder);
}

GStrv
pd_sandbox_paysgator_dup_subscription_ids (PdSandboxPaysgator *self,
                                           gboolean            live)
{
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (PD_IS_SANDBOX_PAYSGATOR (self), NULL);

  list = pd_sandbox_paysgator_subscriptions_of_mode (self, !!live);
  for (guint i = 0; i < list->len; i++)
    g_strv_builder_add (builder, ((Subscription *) g_ptr_array_index (list, i))->id);
  return g_strv_builder_end (builder);
}

/* The object */

PdSandboxPaysgator *
pd_sandbox_paysgator_new (PdSandbox *sandbox)
{
  g_return_val_if_fail (PD_IS_SANDBOX (sandbox), NULL);

  return g_object_new (PD_TYPE_SANDBOX_PAYSGATOR, "sandbox", sandbox, NULL);
}

static void
pd_sandbox_paysgator_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  PdSandboxPaysgator *self = PD_SANDBOX_PAYSGATOR (object);

  switch (prop_id)
    {
    case PROP_SANDBOX:
      g_value_set_object (value, self->sandbox);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_sandbox_paysgator_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  PdSandboxPaysgator *self = PD_SANDBOX_PAYSGATOR (object);

  switch (prop_id)
    {
    case PROP_SANDBOX:
      self->sandbox = g_value_get_object (value);
      g_object_add_weak_pointer (G_OBJECT (self->sandbox), (gpointer *) &self->sandbox);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pd_sandbox_paysgator_dispose (GObject *object)
{
  PdSandboxPaysgator *self = PD_SANDBOX_PAYSGATOR (object);

  if (self->sandbox != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->sandbox), (gpointer *) &self->sandbox);
      self->sandbox = NULL;
    }

  G_OBJECT_CLASS (pd_sandbox_paysgator_parent_class)->dispose (object);
}

static void
pd_sandbox_paysgator_finalize (GObject *object)
{
  PdSandboxPaysgator *self = PD_SANDBOX_PAYSGATOR (object);

  /* Links point at transactions: drop them first. */
  g_clear_pointer (&self->links, g_hash_table_unref);
  g_clear_pointer (&self->transactions, g_hash_table_unref);
  g_clear_pointer (&self->subscriptions, g_hash_table_unref);

  G_OBJECT_CLASS (pd_sandbox_paysgator_parent_class)->finalize (object);
}

static void
pd_sandbox_paysgator_class_init (PdSandboxPaysgatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = pd_sandbox_paysgator_get_property;
  object_class->set_property = pd_sandbox_paysgator_set_property;
  object_class->dispose = pd_sandbox_paysgator_dispose;
  object_class->finalize = pd_sandbox_paysgator_finalize;

  /* Not a reference: the sandbox owns this gateway and outlives it. */
  properties[PROP_SANDBOX] =
    g_param_spec_object ("sandbox", NULL, NULL,
                         PD_TYPE_SANDBOX,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pd_sandbox_paysgator_init (PdSandboxPaysgator *self)
{
  self->transactions = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) transaction_free);
  self->links = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) payment_link_free);
  self->subscriptions = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) subscription_free);
}
