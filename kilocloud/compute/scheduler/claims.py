"""Resources claimed atomically in the database, as Placement's allocations are."""

from __future__ import annotations

from sqlalchemy import delete, func, insert, select, update

from kilocloud.compute.models import Allocation, ComputeNode, Instance, ServerGroupMember
from kilocloud.core.db import Connection


async def claim(
    conn: Connection, node_id: int, consumer: str, vcpus: int, memory_mb: int, disk_gb: int
) -> bool:
    """Take the resources on the node if they still fit under its ratios; whether it did."""
    node = ComputeNode
    done = await conn.execute(
        update(node)
        .where(
            node.id == node_id,
            node.vcpus_used + vcpus <= node.vcpus * node.cpu_allocation_ratio,
            node.memory_mb_used + memory_mb <= node.memory_mb * node.ram_allocation_ratio,
            node.local_gb_used + disk_gb <= node.local_gb * node.disk_allocation_ratio,
        )
        .values(
            vcpus_used=node.vcpus_used + vcpus,
            memory_mb_used=node.memory_mb_used + memory_mb,
            local_gb_used=node.local_gb_used + disk_gb,
        )
    )
    if done.rowcount != 1:
        return False
    await conn.execute(
        insert(Allocation).values(
            consumer_uuid=consumer,
            node_id=node_id,
            vcpus=vcpus,
            memory_mb=memory_mb,
            disk_gb=disk_gb,
        )
    )
    return True


async def release(conn: Connection, consumer: str) -> None:
    """Give back what `consumer` holds (nothing when it holds nothing)."""
    held = (
        await conn.execute(select(Allocation).where(Allocation.consumer_uuid == consumer))
    ).first()
    if held is None:
        return
    await conn.execute(delete(Allocation).where(Allocation.consumer_uuid == consumer))
    await conn.execute(
        update(ComputeNode)
        .where(ComputeNode.id == held.node_id)
        .values(
            vcpus_used=ComputeNode.vcpus_used - held.vcpus,
            memory_mb_used=ComputeNode.memory_mb_used - held.memory_mb,
            local_gb_used=ComputeNode.local_gb_used - held.disk_gb,
        )
    )


async def members_on(conn: Connection, group_id: int, host: str, exclude: str) -> int:
    """How many other live members of the group run on `host`."""
    return await conn.scalar(
        select(func.count())
        .select_from(Instance)
        .join(ServerGroupMember, ServerGroupMember.instance_uuid == Instance.uuid)
        .where(
            ServerGroupMember.group_id == group_id,
            Instance.host == host,
            Instance.deleted.is_(False),
            Instance.uuid != exclude,
        )
    )
