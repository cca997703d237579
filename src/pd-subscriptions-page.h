/* pd-subscriptions-page.h: the Subscriptions page */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PD_TYPE_SUBSCRIPTIONS_PAGE (pd_subscriptions_page_get_type ())

G_DECLARE_FINAL_TYPE (PdSubscriptionsPage, pd_subscriptions_page, PD, SUBSCRIPTIONS_PAGE, GtkWidget)

GtkWidget *pd_subscriptions_page_new (void);

G_END_DECLS
