/* pd-subscription.h: a PaysGator subscription as last seen */
#pragma once

#include <glib-object.h>

#include "pd-enums.h"

G_BEGIN_DECLS

#define PD_TYPE_SUBSCRIPTION (pd_subscription_get_type ())
G_DECLARE_FINAL_TYPE (PdSubscription, pd_subscription, PD, SUBSCRIPTION, GObject)

PdSubscription       *pd_subscription_new                      (void);
PdSubscription       *pd_subscription_copy                     (PdSubscription *self);
const char           *pd_subscription_get_id                   (PdSubscription *self);
void                  pd_subscription_set_id                   (PdSubscription *self,
                                                                const char     *id);
const char           *pd_subscription_get_account_id           (PdSubscription *self);
void                  pd_subscription_set_account_id           (PdSubscription *self,
                                                                const char     *account_id);
const char           *pd_subscription_get_plan_id              (PdSubscription *self);
void                  pd_subscription_set_plan_id              (PdSubscription *self,
                                                                const char     *plan_id);
const char           *pd_subscription_get_customer_email       (PdSubscription *self);
void                  pd_subscription_set_customer_email       (PdSubscription *self,
                                                                const char     *customer_email);
const char           *pd_subscription_get_customer_name        (PdSubscription *self);
void                  pd_subscription_set_customer_name        (PdSubscription *self,
                                                                const char     *customer_name);
PdSubscriptionStatus  pd_subscription_get_status               (PdSubscription *self);
void                  pd_subscription_set_status               (PdSubscription       *self,
                                                                PdSubscriptionStatus  status);
const char           *pd_subscription_get_checkout_url         (PdSubscription *self);
void                  pd_subscription_set_checkout_url         (PdSubscription *self,
                                                                const char     *checkout_url);
gint64                pd_subscription_get_current_period_start (PdSubscription *self);
void                  pd_subscription_set_current_period_start (PdSubscription *self,
                                                                gint64          current_period_start);
gint64                pd_subscription_get_current_period_end   (PdSubscription *self);
void                  pd_subscription_set_current_period_end   (PdSubscription *self,
                                                                gint64          current_period_end);
gint64                pd_subscription_get_created_at           (PdSubscription *self);
void                  pd_subscription_set_created_at           (PdSubscription *self,
                                                                gint64          created_at);
PdMode                pd_subscription_get_mode                 (PdSubscription *self);
void                  pd_subscription_set_mode                 (PdSubscription *self,
                                                                PdMode          mode);
gint64                pd_subscription_get_seen_at              (PdSubscription *self);
void                  pd_subscription_set_seen_at              (PdSubscription *self,
                                                                gint64          seen_at);

G_END_DECLS
