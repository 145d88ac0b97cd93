"""Who sees and edits which layers and items. Every page, API view and export
of the map goes through these functions.

- Public layers are seen by everyone, the public included; internal layers by
  users whose jurisdiction reaches the layer's owner (accounts.access).
- Layers themselves (name, owner, visibility) are changed by office staff whose
  jurisdiction reaches the owner.
- Items are changed by those staff and by the liaison officers of the
  department that keeps the layer, within their jurisdiction.
"""

from django.db.models import Q

from accounts.access import CHANGE, VIEW, scope_q
from accounts.models import Role

from .models import Layer, LayerItem, Visibility


def visible_layers(user):
    public = Q(visibility=Visibility.PUBLIC)
    if user is None or not user.is_authenticated:
        return Layer.objects.filter(public)
    return Layer.objects.filter(public | scope_q(user, "owner", VIEW))


def public_layers():
    return Layer.objects.filter(visibility=Visibility.PUBLIC)


def editable_layers(user):
    """Layers whose definition `user` may change (and new layers they may own)."""
    return Layer.objects.filter(scope_q(user, "owner", CHANGE))


def item_editable_layers(user):
    """Layers whose items `user` may add, change, delete and import."""
    q = scope_q(user, "owner", CHANGE)
    if getattr(user, "role", None) == Role.LIAISON and user.is_active and user.department:
        q |= Q(department=user.department) & scope_q(user, "owner", VIEW)
    return Layer.objects.filter(q)


def may_edit_layer(user, layer):
    return editable_layers(user).filter(pk=layer.pk).exists()


def may_edit_items(user, layer):
    return item_editable_layers(user).filter(pk=layer.pk).exists()


def visible_items(user):
    return LayerItem.objects.filter(layer__in=visible_layers(user))


def editable_items(user):
    return LayerItem.objects.filter(layer__in=item_editable_layers(user))
