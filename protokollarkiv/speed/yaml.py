"""Front matter read faster: a shorter tag resolver, and values read in one walk over the nodes.

Replaces, in `load.Loader`:
- PyYAML's `resolve`, `descend_resolver` and `ascend_resolver`, which libyaml's composer calls
  in Python for every node (a meeting has ~150). With no path resolvers (asserted below), a
  node's tag depends only on its kind and, for a plain scalar, on the resolvers of its first
  character: the same tags as PyYAML's general versions, in a third of the time.
- `read_document` (PyYAML's constructor, then a second walk for duplicate keys and recursive
  aliases): plain mappings, sequences and scalars, which is what front matter is, are read in
  one walk that also finds duplicates and recursion; anything unusual (merge keys, tagged
  collections, complex keys) still goes to PyYAML's constructor.
Gain: together with looking positions up only when asked, parsing a meeting went from 2.2–2.6 to
1.8–2.2 ms (paired runs).
Proof of equal values: tests/test_validate.py (positions, duplicates, aliases) and
tests/test_speed.py (whole sites both ways).
"""

from __future__ import annotations

from typing import Any

import yaml

from ..load import Checker, Loader, Recursive

_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_PLAIN_KEYS = frozenset({_STR, "tag:yaml.org,2002:int", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"})


class _Unusual(Exception):
    """A document for PyYAML's own constructor."""


class FastLoader(Loader):
    """`load.Loader` with the shortcuts above; the same values and positions."""

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is yaml.ScalarNode:
            if implicit[0]:
                for tag, regexp in self.yaml_implicit_resolvers.get(value[:1], ()):
                    if regexp.match(value):
                        return str(tag)
            return self.DEFAULT_SCALAR_TAG
        return self.DEFAULT_SEQUENCE_TAG if kind is yaml.SequenceNode else self.DEFAULT_MAPPING_TAG

    def read_document(self, node: yaml.Node) -> tuple[Any, list[yaml.Node]]:
        reader = _Reader(self)
        try:
            return reader.read(node), reader.duplicates
        except _Unusual:
            return super().read_document(node)


assert not FastLoader.yaml_path_resolvers and None not in FastLoader.yaml_implicit_resolvers  # see `resolve`


class _Reader(Checker):
    """The values of one document in one walk over its composed nodes, and its duplicate keys."""

    def __init__(self, loader: FastLoader) -> None:
        super().__init__(loader.resolve)
        self.loader = loader

    def read(self, node: yaml.Node) -> Any:
        if isinstance(node, yaml.ScalarNode):
            if node.tag == _STR:
                return node.value
            self.check_scalar_tag(node)
            return self.loader.construct_object(node)
        if id(node) in self.open:
            raise Recursive(node)
        self.open.add(id(node))
        try:
            if isinstance(node, yaml.MappingNode) and node.tag == _MAP:
                self.find_duplicates(node)
                mapping: dict[Any, Any] = {}
                for key_node, value_node in node.value:
                    if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _PLAIN_KEYS:
                        raise _Unusual
                    mapping[self.read(key_node)] = self.read(value_node)
                return mapping
            if isinstance(node, yaml.SequenceNode) and node.tag == _SEQ:
                return [self.read(item) for item in node.value]
            raise _Unusual
        finally:
            self.open.discard(id(node))
