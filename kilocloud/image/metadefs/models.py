"""Metadef tables: namespaces, their objects, properties and tags, and resource types."""

from __future__ import annotations

import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.dialects import mysql
from sqlalchemy.orm import Mapped, mapped_column

from kilocloud.core.db import Base, Timestamp, utcnow

# names compare byte for byte on every backend (MariaDB's default collation ignores case)
NAME = String(80).with_variant(mysql.VARCHAR(80, collation="utf8mb4_bin"), "mysql", "mariadb")


def _namespace_fk() -> Mapped[int]:
    return mapped_column(ForeignKey("metadef_namespaces.id", ondelete="CASCADE"))


class MetadefNamespace(Base):
    __tablename__ = "metadef_namespaces"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    namespace: Mapped[str] = mapped_column(NAME, unique=True)
    display_name: Mapped[str | None] = mapped_column(String(80))
    description: Mapped[str | None] = mapped_column(Text)
    visibility: Mapped[str] = mapped_column(String(32), default="private")
    protected: Mapped[bool] = mapped_column(Boolean, default=False)
    owner: Mapped[str] = mapped_column(String(255), index=True)
    created_at: Mapped[datetime.datetime] = mapped_column(Timestamp, default=utcnow)
    updated_at: Mapped[datetime.datetime] = mapped_column(Timestamp, default=utcnow)


class MetadefObject(Base):
    __tablename__ = "metadef_objects"
    __table_args__ = (UniqueConstraint("namespace_id", "name"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    namespace_id: Mapped[int] = _namespace_fk()
    name: Mapped[str] = mapped_column(NAME)
    description: Mapped[str | None] = mapped_column(Text)
    required: Mapped[list | None] = mapped_column(JSON)
    properties: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime.datetime] = mapped_column(Timestamp, default=utcnow)
    updated_at: Mapped[datetime.datetime] = mapped_column(Timestamp, default=utcnow)


class MetadefProperty(Base):
    __tablename__ = "metadef_properties"
    __table_args__ = (UniqueConstraint("namespace_id", "name"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    namespace_id: Mapped[int] = _namespace_fk()
    name: Mapped[str] = mapped_column(NAME)
    json_schema: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime.datetime] = mapped_column(Timestamp, default=utcnow)
    updated_at: Mapped[datetime.datetime] = mapped_column(Timestamp, default=utcnow)


class MetadefTag(Base):
    __tablename__ = "metadef_tags"
    __table_args__ = (UniqueConstraint("namespace_id", "name"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    namespace_id: Mapped[int] = _namespace_fk()
    name: Mapped[str] = mapped_column(NAME)
    created_at: Mapped[datetime.datetime] = mapped_column(Timestamp, default=utcnow)
    updated_at: Mapped[datetime.datetime] = mapped_column(Timestamp, default=utcnow)


class MetadefResourceType(Base):
    __tablename__ = "metadef_resource_types"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(NAME, unique=True)
    protected: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime.datetime] = mapped_column(Timestamp, default=utcnow)
    updated_at: Mapped[datetime.datetime] = mapped_column(Timestamp, default=utcnow)


class MetadefAssociation(Base):
    """A namespace applying to a resource type, its properties named with `prefix`."""

    __tablename__ = "metadef_namespace_resource_types"
    namespace_id: Mapped[int] = mapped_column(
        ForeignKey(
            "metadef_namespaces.id", ondelete="CASCADE", name="fk_metadef_ns_rt_namespace_id"
        ),
        primary_key=True,
    )
    resource_type_id: Mapped[int] = mapped_column(
        ForeignKey("metadef_resource_types.id", name="fk_metadef_ns_rt_resource_type_id"),
        primary_key=True,
        index=True,
    )
    prefix: Mapped[str | None] = mapped_column(String(80))
    properties_target: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime.datetime] = mapped_column(Timestamp, default=utcnow)
    updated_at: Mapped[datetime.datetime] = mapped_column(Timestamp, default=utcnow)
