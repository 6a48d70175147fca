"""An order: the items stocked on the shelf for it, their types, and what it asks for."""

from __future__ import annotations

import math
from collections.abc import Sequence

from harness.scenario import Conditions
from harness.world import World
from scenarios.warehouse.layout import ITEM_TYPES, Layout


def item_types(conditions: Conditions) -> list[int]:
    """Each item's type, an index into ``ITEM_TYPES``."""
    return [int(t) % len(ITEM_TYPES) for t in conditions["item_type"]]


def take_order(conditions: Conditions, items: Sequence[str], types: list[int]) -> list[int]:
    """How many items of each type the order asks for: the types of the first ``order_size``
    items on the shelf."""
    ordered = min(int(conditions["order_size"]), len(items))
    return [types[:ordered].count(kind) for kind in range(len(ITEM_TYPES))]


def stock_shelf(
    world: World, layout: Layout, items: Sequence[str], types: Sequence[int], conditions: Conditions
) -> None:
    """Put each item on the shelf where ``conditions`` say, a cube of its type's size and colour."""
    for index, label in enumerate(items):
        kind, yaw = ITEM_TYPES[types[index]], float(conditions["item_yaw"][index])
        edge = kind.edge / 2
        world.add_box(
            label,
            (edge, edge, edge),
            (conditions["item_x"][index], conditions["item_y"][index], layout.shelf_z + edge),
            (0.0, 0.0, math.sin(yaw / 2), math.cos(yaw / 2)),
            mass=conditions["item_mass"][index],
            friction=conditions["item_friction"][index],
            color=kind.color,
        )
