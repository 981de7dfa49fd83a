"""The course catalog: `course.toml` parsed into typed items.

`course.toml` is the single table of contents; everything else (CLI listing, tracker
issue, docs navigation, release) derives from the objects defined here.
"""

from __future__ import annotations

import tomllib
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Kind = Literal["exercise", "challenge", "quiz", "exam", "capstone"]


def find_root(start: Path | None = None) -> Path:
    """The course root: the nearest folder upwards that holds `course.toml`."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "course.toml").is_file():
            return folder
    raise FileNotFoundError("no course.toml here or in any parent folder: run this inside the course repository")


class Module(BaseModel):
    model_config = ConfigDict(extra="forbid")
    number: int
    slug: str
    title: str

    @property
    def folder(self) -> str:
        return f"modules/{self.slug}"

    @property
    def lesson(self) -> str:
        return f"{self.folder}/{self.slug}.py"


class Item(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    title: str
    module: int = Field(ge=0, le=5)
    kind: Kind
    path: str
    functions: list[str] = []
    written: list[str] = []
    written_min_words: int = 25
    written_points: float = 5
    points: float = Field(gt=0)
    pass_threshold: float | None = Field(default=None, gt=0, le=1)
    minutes: int
    timeout: int | None = None
    status: Literal["ready", "planned"] = "planned"

    @property
    def hidden_dir(self) -> str:
        return f"grading/hidden/{self.id}"

    @property
    def is_notebook(self) -> bool:
        return self.path.endswith(".py")


class Requirement(BaseModel):
    """One pass criterion of a checkpoint: the item passed, or (with `min_score`) scored at least that share."""

    model_config = ConfigDict(extra="forbid")
    item: str
    min_score: float | None = Field(default=None, gt=0, le=1)


class Checkpoint(BaseModel):
    """A milestone of the course plan, passed when all its requirements hold (see grading/checkpoints.py)."""

    model_config = ConfigDict(extra="forbid")
    id: str
    title: str
    requires: list[Requirement] = Field(min_length=1)


class Skill(BaseModel):
    """A skill of the plan's certification checklist, backed by the items that prove it (see grading/certificate.py)."""

    model_config = ConfigDict(extra="forbid")
    title: str
    items: list[str] = Field(min_length=1)


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str
    default_pass_threshold: float = 0.8
    default_timeout: int = 60
    mentors: list[str] = []


class Course(BaseModel):
    model_config = ConfigDict(extra="forbid")
    course: Settings
    module: list[Module]
    item: list[Item]
    checkpoint: list[Checkpoint] = []
    skill: list[Skill] = []
    root: Path = Path(".")

    @model_validator(mode="after")
    def _unique_ids(self) -> Course:
        ids = [i.id for i in self.item]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"duplicate item ids in course.toml: {dupes}")
        unknown = sorted({r.item for c in self.checkpoint for r in c.requires} - set(ids))
        if unknown:
            raise ValueError(f"checkpoints in course.toml require unknown items: {unknown}")
        unknown = sorted({i for s in self.skill for i in s.items} - set(ids))
        if unknown:
            raise ValueError(f"skills in course.toml name unknown items: {unknown}")
        return self

    @classmethod
    def load(cls, root: Path | None = None) -> Course:
        root = find_root(root)
        data = tomllib.loads((root / "course.toml").read_text(encoding="utf-8"))
        return cls(**data, root=root)

    @cached_property
    def items(self) -> dict[str, Item]:
        return {i.id: i for i in self.item}

    @cached_property
    def modules(self) -> dict[int, Module]:
        return {m.number: m for m in self.module}

    def threshold(self, item: Item) -> float:
        return item.pass_threshold or self.course.default_pass_threshold

    def timeout(self, item: Item) -> int:
        return item.timeout or self.course.default_timeout

    def lesson_for(self, item: Item) -> str | None:
        module = self.modules.get(item.module)
        return module.lesson if module else None

    def item_for_path(self, path: str) -> Item | None:
        """The item a repository path belongs to (exact file, or inside an item folder)."""
        for item in self.item:
            if path == item.path or (item.path.endswith("/") and path.startswith(item.path)):
                return item
        return None
