/* pd-sandbox-badge.h: the warning-coloured "SANDBOX" pill */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define PD_TYPE_SANDBOX_BADGE (pd_sandbox_badge_get_type ())

G_DECLARE_FINAL_TYPE (PdSandboxBadge, pd_sandbox_badge, PD, SANDBOX_BADGE, GtkWidget)

GtkWidget *pd_sandbox_badge_new         (gboolean        compact);
gboolean   pd_sandbox_badge_get_compact (PdSandboxBadge *self);
void       pd_sandbox_badge_set_compact (PdSandboxBadge *self,
                                         gboolean        compact);

G_END_DECLS
