/* pd-enums.h: the small vocabularies every part of Paydesk shares */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  PD_GATEWAY_PESOGATE,
  PD_GATEWAY_PAYSGATOR,
} PdGateway;

/* PaysGator keys are LIVE or TEST; PesoGate accounts are LIVE unless sandbox. */
typedef enum
{
  PD_MODE_LIVE,
  PD_MODE_TEST,
} PdMode;

/* One status set for the app, mapped from both gateways. */
typedef enum
{
  PD_STATUS_UNKNOWN,      /* a gateway string Paydesk does not know */
  PD_STATUS_INITIALIZED,
  PD_STATUS_PENDING,
  PD_STATUS_AUTHORIZED,
  PD_STATUS_COMPLETED,
  PD_STATUS_FAILED,
  PD_STATUS_REFUNDED,
  PD_STATUS_CANCELLED,
} PdStatus;

typedef enum
{
  PD_SUBSCRIPTION_STATUS_UNKNOWN,
  PD_SUBSCRIPTION_STATUS_ACTIVE,
  PD_SUBSCRIPTION_STATUS_PAUSED,
  PD_SUBSCRIPTION_STATUS_PAST_DUE,
  PD_SUBSCRIPTION_STATUS_CANCELED,
} PdSubscriptionStatus;

#define PD_TYPE_GATEWAY             (pd_gateway_get_type ())
#define PD_TYPE_MODE                (pd_mode_get_type ())
#define PD_TYPE_STATUS              (pd_status_get_type ())
#define PD_TYPE_SUBSCRIPTION_STATUS (pd_subscription_status_get_type ())

GType                 pd_gateway_get_type             (void) G_GNUC_CONST;
GType                 pd_mode_get_type                (void) G_GNUC_CONST;
GType                 pd_status_get_type              (void) G_GNUC_CONST;
GType                 pd_subscription_status_get_type (void) G_GNUC_CONST;

/* Stable lower-case keys for files and the ledger ("pesogate", "completed"). */
const char           *pd_gateway_to_key               (PdGateway             gateway);
gboolean              pd_gateway_from_key             (const char           *key,
                                                       PdGateway            *gateway);
const char           *pd_gateway_get_label            (PdGateway             gateway);
const char           *pd_mode_to_key                  (PdMode                mode);
gboolean              pd_mode_from_key                (const char           *key,
                                                       PdMode               *mode);
const char           *pd_mode_get_label               (PdMode                mode);

const char           *pd_status_to_key                (PdStatus              status);
PdStatus              pd_status_from_key              (const char           *key);
/* From each gateway's own status string: PesoGate "completed", PaysGator "SUCCESS". */
PdStatus              pd_status_from_pesogate         (const char           *gateway_status);
PdStatus              pd_status_from_paysgator        (const char           *gateway_status);
gboolean              pd_status_is_final              (PdStatus              status);
const char           *pd_status_get_label             (PdStatus              status);

const char           *pd_subscription_status_to_key   (PdSubscriptionStatus  status);
PdSubscriptionStatus  pd_subscription_status_from_key (const char           *key);
const char           *pd_subscription_status_get_label (PdSubscriptionStatus status);

G_END_DECLS
