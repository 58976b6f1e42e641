"""Image tables: images, their extra properties, tags, members and data locations."""

from __future__ import annotations

import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kilocloud.core.db import Base, Timestamp, utcnow

ID = String(64)


class Image(Base):
    __tablename__ = "images"
    __table_args__ = (
        Index("ix_images_owner_created", "owner", "created_at"),
        Index("ix_images_visibility_created", "visibility", "created_at"),
        Index("ix_images_created_at_id", "created_at", "id"),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(255), index=True)
    status: Mapped[str] = mapped_column(String(30), index=True)
    visibility: Mapped[str] = mapped_column(String(20))
    protected: Mapped[bool] = mapped_column(Boolean, default=False)
    os_hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    owner: Mapped[str | None] = mapped_column(ID)
    size: Mapped[int | None] = mapped_column(BigInteger)
    virtual_size: Mapped[int | None] = mapped_column(BigInteger)
    checksum: Mapped[str | None] = mapped_column(String(32))
    os_hash_algo: Mapped[str | None] = mapped_column(String(64))
    os_hash_value: Mapped[str | None] = mapped_column(String(128))
    disk_format: Mapped[str | None] = mapped_column(String(20))
    container_format: Mapped[str | None] = mapped_column(String(20))
    min_disk: Mapped[int] = mapped_column(Integer, default=0)
    min_ram: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime.datetime] = mapped_column(Timestamp, default=utcnow)
    updated_at: Mapped[datetime.datetime] = mapped_column(Timestamp, default=utcnow)
    properties: Mapped[list[ImageProperty]] = relationship(
        lazy="selectin", cascade="all, delete-orphan"
    )
    tags: Mapped[list[ImageTag]] = relationship(lazy="selectin", cascade="all, delete-orphan")
    locations: Mapped[list[ImageLocation]] = relationship(
        lazy="selectin", cascade="all, delete-orphan"
    )


class ImageProperty(Base):
    __tablename__ = "image_properties"
    __table_args__ = (UniqueConstraint("image_id", "name"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    image_id: Mapped[str] = mapped_column(ForeignKey("images.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(255), index=True)
    value: Mapped[str] = mapped_column(Text)


class ImageTag(Base):
    __tablename__ = "image_tags"
    __table_args__ = (UniqueConstraint("image_id", "value"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    image_id: Mapped[str] = mapped_column(ForeignKey("images.id", ondelete="CASCADE"))
    value: Mapped[str] = mapped_column(String(255), index=True)


class ImageLocation(Base):
    __tablename__ = "image_locations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    image_id: Mapped[str] = mapped_column(ForeignKey("images.id", ondelete="CASCADE"), index=True)
    store: Mapped[str] = mapped_column(String(255))
    url: Mapped[str] = mapped_column(Text)
    meta: Mapped[dict] = mapped_column(JSON, default=dict)


class ImageMember(Base):
    __tablename__ = "image_members"
    __table_args__ = (UniqueConstraint("image_id", "member"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    image_id: Mapped[str] = mapped_column(ForeignKey("images.id", ondelete="CASCADE"))
    member: Mapped[str] = mapped_column(ID, index=True)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    created_at: Mapped[datetime.datetime] = mapped_column(Timestamp, default=utcnow)
    updated_at: Mapped[datetime.datetime] = mapped_column(Timestamp, default=utcnow)


class ImageUpload(Base):
    """An upload in progress (PUT /file or /stage), the process carrying it and its heartbeat."""

    __tablename__ = "image_uploads"
    image_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # "file" (status saving) or "stage" (uploading)
    store: Mapped[str | None] = mapped_column(String(255))
    runner: Mapped[str] = mapped_column(String(255))
    heartbeat_at: Mapped[datetime.datetime] = mapped_column(Timestamp, default=utcnow, index=True)
