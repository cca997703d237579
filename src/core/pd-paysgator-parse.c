#define G_LOG_DOMAIN "pd-paysgator"

#include "config.h"

#include "pd-error.h"
#include "pd-http.h"
#include "pd-json-read.h"
#include "pd-paysgator-private.h"

/* Reading answers */

/* "LIVE" or "TEST"; *@has_mode is FALSE when the answer does not say. */
static gboolean
read_mode (JsonObject  *object,
           gboolean    *has_mode,
           PdMode      *mode,
           GError     **error)
{
  g_autofree char *key = NULL;
  const char *text;

  *has_mode = FALSE;
  if (!pd_json_read_string (object, "mode", FALSE, &text, error))
    return FALSE;
  if (text == NULL)
    return TRUE;

  key = g_ascii_strdown (text, -1);
  if (!pd_mode_from_key (key, mode))
    {
      g_propagate_error (error, pd_json_bad_response ("mode is neither LIVE nor TEST"));
      return FALSE;
    }
  *has_mode = TRUE;
  return TRUE;
}

static gboolean
read_currency (JsonObject  *object,
               const char **currency,
               GError     **error)
{
  if (!pd_json_read_string (object, "currency", TRUE, currency, error))
    return FALSE;
  if (!pd_money_currency_is_known (*currency))
    {
      g_propagate_error (error, pd_json_bad_response ("currency is not an ISO 4217 code"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_money (JsonObject  *object,
            const char  *name,
            const char  *currency,
            PdMoney     *money,
            GError     **error)
{
  g_autoptr(GError) money_error = NULL;
  JsonNode *node = pd_json_get_member (object, name);

  if (node == NULL)
    {
      g_propagate_error (error, pd_json_bad_response ("%s is missing", name));
      return FALSE;
    }
  if (!pd_money_from_json_node (node, currency, money, &money_error))
    {
      g_propagate_error (error, pd_json_bad_response ("%s: %s", name, money_error->message));
      return FALSE;
    }
  return TRUE;
}

/* A URL a customer is sent to: https, or http on loopback (the sandbox). */
static gboolean
read_url (JsonObject  *object,
          const char  *name,
          gboolean     required,
          const char **url,
          GError     **error)
{
  if (!pd_json_read_string (object, name, required, url, error))
    return FALSE;
  if (*url != NULL && !pd_http_check_base_url (*url, NULL))
    {
      g_propagate_error (error, pd_json_bad_response ("%s is not an https URL", name));
      return FALSE;
    }
  return TRUE;
}

/* What the answer carries: "data" of {"success": true, "data": …}, or the
 * answer itself when it is the bare object. A "success": false or an
 * "error" member is the gateway's refusal, whatever the HTTP status. */
static JsonNode *
unwrap (JsonNode  *body,
        GError   **error)
{
  JsonObject *root;
  JsonNode *success;
  JsonNode *data;

  if (body == NULL || !JSON_NODE_HOLDS_OBJECT (body))
    {
      g_propagate_error (error, pd_json_bad_response ("the answer is not a JSON object"));
      return NULL;
    }
  root = json_node_get_object (body);

  success = pd_json_get_member (root, "success");
  if (success != NULL && !pd_json_node_is (success, G_TYPE_BOOLEAN))
    {
      g_propagate_error (error, pd_json_bad_response ("success is not a boolean"));
      return NULL;
    }
  if ((success != NULL && !json_node_get_boolean (success)) || pd_json_get_member (root, "error") != NULL)
    {
      g_propagate_error (error, pd_gateway_error_new_from_response (200, body, -1));
      return NULL;
    }

  data = pd_json_get_member (root, "data");
  return data != NULL ? data : body;
}

static JsonObject *
unwrap_object (JsonNode  *body,
               GError   **error)
{
  JsonNode *data = unwrap (body, error);

  if (data == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (data))
    {
      g_propagate_error (error, pd_json_bad_response ("data is not an object"));
      return NULL;
    }
  return json_node_get_object (data);
}

PdPaymentLink *
pd_paysgator_parse_payment_link (JsonNode  *body,
                                 GError   **error)
{
  PdPaymentLink *link;
  JsonObject *data;
  const char *id, *checkout_url, *transaction_id;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if ((data = unwrap_object (body, error)) == NULL)
    return NULL;

  /* The spec writes "paymentlinkId"; the confirm call's "paymentLinkId" is
   * accepted too. */
  if (!pd_json_read_string (data, "paymentlinkId", FALSE, &id, error))
    return NULL;
  if (id == NULL && !pd_json_read_string (data, "paymentLinkId", TRUE, &id, error))
    return NULL;
  if (!read_url (data, "checkoutUrl", TRUE, &checkout_url, error) ||
      !pd_json_read_string (data, "transactionId", FALSE, &transaction_id, error))
    return NULL;

  link = pd_payment_link_new ();
  pd_payment_link_set_id (link, id);
  pd_payment_link_set_checkout_url (link, checkout_url);
  pd_payment_link_set_transaction_id (link, transaction_id);
  return link;
}

PdPaymentConfirmation *
pd_paysgator_parse_confirmation (JsonNode    *body,
                                 const char  *currency,
                                 GError     **error)
{
  g_autoptr(PdPaymentConfirmation) confirmation = g_new0 (PdPaymentConfirmation, 1);
  JsonObject *data;
  const char *transaction_id;

  g_return_val_if_fail (pd_money_currency_is_known (currency), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if ((data = unwrap_object (body, error)) == NULL ||
      !pd_json_read_string (data, "transactionId", TRUE, &transaction_id, error) ||
      !read_money (data, "fee", currency, &confirmation->fee, error) ||
      !read_money (data, "netAmount", currency, &confirmation->net_amount, error))
    return NULL;

  confirmation->transaction_id = g_strdup (transaction_id);
  return g_steal_pointer (&confirmation);
}

/* The wallet's balance: a decimal string (which may be below zero), or a
 * plain number. Negative numbers are refused: json-glib turns integers
 * too large for 64 bits into negative ones. */
static gboolean
read_balance (JsonObject  *object,
              const char  *currency,
              PdMoney     *balance,
              GError     **error)
{
  g_autoptr(GError) money_error = NULL;
  JsonNode *node = pd_json_get_member (object, "balance");
  const char *text;

  if (node == NULL || !pd_json_node_is (node, G_TYPE_STRING))
    return read_money (object, "balance", currency, balance, error);

  text = json_node_get_string (node);
  if (!pd_money_parse_decimal (text[0] == '-' ? text + 1 : text, currency, balance, &money_error))
    {
      g_propagate_error (error, pd_json_bad_response ("balance: %s", money_error->message));
      return FALSE;
    }
  if (text[0] == '-')
    balance->minor = -balance->minor;
  return TRUE;
}

PdWallet *
pd_paysgator_parse_wallet (JsonNode  *body,
                           GError   **error)
{
  PdWallet *wallet;
  JsonObject *data;
  const char *wallet_id, *currency;
  gboolean has_mode;
  PdMode mode;
  PdMoney balance;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if ((data = unwrap_object (body, error)) == NULL ||
      !pd_json_read_string (data, "walletId", FALSE, &wallet_id, error) ||
      !read_currency (data, &currency, error) ||
      !read_balance (data, currency, &balance, error) ||
      !read_mode (data, &has_mode, &mode, error))
    return NULL;

  wallet = pd_wallet_new ();
  pd_wallet_set_wallet_id (wallet, wallet_id);
  pd_wallet_set_currency (wallet, balance.currency);
  pd_wallet_set_balance (wallet, balance.minor);
  if (has_mode)
    pd_wallet_set_mode (wallet, mode);
  pd_wallet_set_fetched_at (wallet, g_get_real_time () / G_USEC_PER_SEC);
  return wallet;
}

PdTransaction *
pd_paysgator_parse_transaction (JsonNode  *body,
                                GError   **error)
{
  PdTransaction *transaction;
  JsonObject *data;
  const char *id, *currency, *status, *method;
  gint64 created_at;
  gboolean has_mode;
  PdMode mode;
  PdMoney amount;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if ((data = unwrap_object (body, error)) == NULL ||
      !pd_json_read_string (data, "id", TRUE, &id, error) ||
      !read_currency (data, &currency, error) ||
      !read_money (data, "amount", currency, &amount, error) ||
      !pd_json_read_string (data, "status", TRUE, &status, error) ||
      !pd_json_read_string (data, "method", FALSE, &method, error) ||
      !pd_json_read_time (data, "createdAt", &created_at, error) ||
      !read_mode (data, &has_mode, &mode, error))
    return NULL;

  transaction = pd_transaction_new ();
  pd_transaction_set_gateway (transaction, PD_GATEWAY_PAYSGATOR);
  pd_transaction_set_reference (transaction, id);
  pd_transaction_set_amount (transaction, amount.minor);
  pd_transaction_set_currency (transaction, amount.currency);
  pd_transaction_set_status (transaction, pd_status_from_paysgator (status));
  pd_transaction_set_gateway_status (transaction, status);
  pd_transaction_set_payment_method (transaction, method);
  pd_transaction_set_created_at (transaction, created_at);
  if (has_mode)
    pd_transaction_set_mode (transaction, mode);
  return transaction;
}

static PdSubscription *
subscription_from_object (JsonObject  *data,
                          GError     **error)
{
  PdSubscription *subscription;
  const char *id, *status, *plan_id, *email, *name, *checkout_url;
  gint64 period_start, period_end, created_at;
  gboolean has_mode;
  PdMode mode;

  /* Creating answers "subscriptionId"; everything else "id". */
  if (!pd_json_read_string (data, "id", FALSE, &id, error))
    return NULL;
  if (id == NULL && !pd_json_read_string (data, "subscriptionId", TRUE, &id, error))
    return NULL;
  if (!pd_json_read_string (data, "status", TRUE, &status, error) ||
      !pd_json_read_string (data, "planId", FALSE, &plan_id, error) ||
      !pd_json_read_string (data, "customerEmail", FALSE, &email, error) ||
      !pd_json_read_string (data, "customerName", FALSE, &name, error) ||
      !read_url (data, "checkoutUrl", FALSE, &checkout_url, error) ||
      !pd_json_read_time (data, "currentPeriodStart", &period_start, error) ||
      !pd_json_read_time (data, "currentPeriodEnd", &period_end, error) ||
      !pd_json_read_time (data, "createdAt", &created_at, error) ||
      !read_mode (data, &has_mode, &mode, error))
    return NULL;

  subscription = pd_subscription_new ();
  pd_subscription_set_id (subscription, id);
  pd_subscription_set_status (subscription, pd_subscription_status_from_key (status));
  pd_subscription_set_plan_id (subscription, plan_id);
  pd_subscription_set_customer_email (subscription, email);
  pd_subscription_set_customer_name (subscription, name);
  pd_subscription_set_checkout_url (subscription, checkout_url);
  pd_subscription_set_current_period_start (subscription, period_start);
  pd_subscription_set_current_period_end (subscription, period_end);
  pd_subscription_set_created_at (subscription, created_at);
  if (has_mode)
    pd_subscription_set_mode (subscription, mode);
  pd_subscription_set_seen_at (subscription, g_get_real_time () / G_USEC_PER_SEC);
  return subscription;
}

PdSubscription *
pd_paysgator_parse_subscription (JsonNode  *body,
                                 GError   **error)
{
  JsonObject *data;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if ((data = unwrap_object (body, error)) == NULL)
    return NULL;
  return subscription_from_object (data, error);
}

GListModel *
pd_paysgator_parse_subscription_list (JsonNode  *body,
                                      GError   **error)
{
  g_autoptr(GListStore) store = NULL;
  JsonNode *data;
  JsonArray *array;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* A bare array is the bare shape of a list. */
  data = body != NULL && JSON_NODE_HOLDS_ARRAY (body) ? body : unwrap (body, error);
  if (data == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (data))
    {
      g_propagate_error (error, pd_json_bad_response ("data is not an array"));
      return NULL;
    }

  array = json_node_get_array (data);
  store = g_list_store_new (PD_TYPE_SUBSCRIPTION);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autoptr(PdSubscription) subscription = NULL;
      g_autoptr(GError) element_error = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          g_propagate_error (error, pd_json_bad_response ("subscription %u is not an object", i));
          return NULL;
        }
      subscription = subscription_from_object (json_node_get_object (element), &element_error);
      if (subscription == NULL)
        {
          g_propagate_error (error, pd_json_bad_response ("subscription %u: %s", i,
                                                  pd_gateway_error_get_detail (element_error)));
          return NULL;
        }
      g_list_store_append (store, subscription);
    }
  return G_LIST_MODEL (g_steal_pointer (&store));
}
