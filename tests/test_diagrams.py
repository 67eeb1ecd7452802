"""Tests for backprop.diagrams (plot.graph and plot.network): the SVG is
parsed as XML and its nodes, edges and labels are compared with the
input. The graph tests use a stand-in with the attributes of
backprop.graph.Value, so that they test the drawing alone."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

import pytest

from backprop import Network, plot
from backprop.diagrams import MAX_NODES, graph, network
from backprop.errors import BackpropError, ShapeError
from backprop.explain import default_network

NS = {"svg": "http://www.w3.org/2000/svg"}
SVG = "{http://www.w3.org/2000/svg}"


class Node:
    """A stand-in for backprop.graph.Value: data, grad, label, op,
    children, and just enough arithmetic to build test graphs."""

    def __init__(self, data, children=(), op="", label=""):
        self.data, self.grad = float(data), 0.0
        self.children, self.op, self.label = tuple(children), op, label

    def __add__(self, other):
        return Node(self.data + other.data, (self, other), "+")

    def __mul__(self, other):
        return Node(self.data * other.data, (self, other), "*")


def texts(root, cls):
    return [" ".join(t.text for t in g.iter(SVG + "text"))
            for g in root.iter(SVG + "g") if g.get("class") == cls]


def cs231n():
    """f = (x + y) z at x = -2, y = 5, z = -4, gradients by hand."""
    x, y, z = Node(-2, label="x"), Node(5, label="y"), Node(-4, label="z")
    q = x + y
    q.label = "q"
    f = q * z
    f.label = "f"
    f.grad, q.grad, z.grad, x.grad, y.grad = 1.0, -4.0, 3.0, -4.0, -4.0
    return f


# === graph ===

def test_graph_draws_every_node_with_data_and_grad():
    root = ET.fromstring(graph(cs231n()))
    nodes = texts(root, "node")
    assert len(nodes) == 5
    assert "f data -12 grad 1 *" in nodes
    assert "x data -2 grad -4" in nodes
    assert "z data -4 grad 3" in nodes
    assert len(root.findall(".//svg:g[@class='edges']/svg:path", NS)) == 4


def test_graph_reads_left_to_right():
    svg = graph(cs231n())
    boxes = {}
    for g in ET.fromstring(svg).iter(SVG + "g"):
        if g.get("class") == "node":
            label = g.find("svg:text", NS).text
            boxes[label] = float(g.find("svg:rect", NS).get("x"))
    assert boxes["x"] == boxes["y"] < boxes["q"] < boxes["f"]
    assert boxes["z"] < boxes["f"]


def test_graph_fan_out_is_one_node_with_two_edges():
    a = Node(3, label="a")
    b = a * a
    root = ET.fromstring(graph(b))
    assert len(texts(root, "node")) == 2
    assert len(root.findall(".//svg:g[@class='edges']/svg:path", NS)) == 2


def test_graph_escapes_labels_and_is_deterministic():
    x = Node(1, label="<x & y>")
    f = x + Node(2, label='"two"')
    svg = graph(f, title="a < b")
    assert svg == graph(f, title="a < b")
    root = ET.fromstring(svg)
    assert root.find("svg:title", NS).text == "a < b"
    assert any(t.startswith("<x & y>") for t in texts(root, "node"))
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")


def test_graph_long_chain_has_no_recursion_limit():
    v = Node(0.5, label="x")
    for _ in range(MAX_NODES - 1):
        v = Node(v.data, (v,), "id")
    root = ET.fromstring(graph(v))
    assert len(texts(root, "node")) == MAX_NODES


def test_graph_refuses_too_many_nodes_and_non_values():
    v = Node(0.0)
    for _ in range(MAX_NODES):
        v = Node(v.data, (v,), "id")
    with pytest.raises(BackpropError, match=f"more than {MAX_NODES} nodes"):
        graph(v)
    with pytest.raises(TypeError, match="graph: value must be"):
        graph(3.0)


def test_graph_with_the_real_value():
    Value = pytest.importorskip("backprop.graph").Value
    x, y, z = Value(-2.0), Value(5.0), Value(-4.0)
    f = (x + y) * z
    f.backward()
    nodes = texts(ET.fromstring(graph(f)), "node")
    assert len(nodes) == 5
    assert any("grad -4" in n for n in nodes)


# === network ===

MAZUR = {f"w{i + 1}": v for i, v in enumerate(
    [0.15, 0.20, 0.25, 0.30, 0.40, 0.45, 0.50, 0.55])}


def edge_titles(svg):
    root = ET.fromstring(svg)
    return [e.find("svg:title", NS).text
            for e in root.iter(SVG + "line")
            if e.get("class") == "edge"]


def test_network_numbers_mazurs_weights_w1_to_w8():
    svg = network(default_network(), numbering="both")
    found = {}
    for t in edge_titles(svg):
        m = re.fullmatch(r"(w\d) W\[(\d)\]\[(\d)\]\[(\d)\] = (\S+)", t)
        name, layer, j, k, value = m.groups()
        net = default_network()
        assert net.W[int(layer)][int(j)][int(k)] == float(value)
        found[name] = float(value)
    assert found == MAZUR
    assert "w1 W[0][0][0] = 0.15" in texts(ET.fromstring(svg),
                                           "edge-labels")[0]


@pytest.mark.parametrize("numbering, label", [
    ("index", "W[1][0][1] = 0.45"), ("flat", "w6 = 0.45"),
    ("both", "w6 W[1][0][1] = 0.45")])
def test_network_numbering(numbering, label):
    assert label in edge_titles(network(default_network(),
                                        numbering=numbering))


def test_network_with_only_a_network():
    svg = network(Network([2, 3, 1], seed=0))
    root = ET.fromstring(svg)
    assert len(texts(root, "neuron")) == 6
    assert len(edge_titles(svg)) == 9
    assert svg == network(Network([2, 3, 1], seed=0))
    nobias = network(Network([2, 1], bias=False, seed=0))
    assert "b[" not in nobias


def test_network_shows_activations_deltas_and_gradients():
    net = default_network()
    x, y = [0.05, 0.10], [0.01, 0.99]
    fwd = net.forward(x)
    deltas = net.deltas(fwd, y, "half_sse")
    g = net.backward(fwd, y, "half_sse")
    svg = network(net, fwd, deltas, g, numbering="flat")
    neurons = texts(ET.fromstring(svg), "neuron")
    assert neurons[2] == "a[1][0] 0.5933 δ 0.008771 b[0][0] = 0.35"
    assert neurons[4].startswith("a[2][0] 0.7514 δ 0.1385")
    assert "w5 = 0.4, dW = 0.08217" in edge_titles(svg)
    widths = {t: float(e.get("stroke-width")) for t, e in zip(
        edge_titles(svg), ET.fromstring(svg).iter(SVG + "line"))}
    assert max(widths, key=widths.get).startswith("w6")  # largest |dW|


def test_network_summarises_large_layers():
    svg = network(Network([784, 30, 10], seed=0))
    root = ET.fromstring(svg)
    assert len(texts(root, "neuron")) == 6 + 6 + 10
    assert "… 778 more …" in svg and "… 24 more …" in svg
    assert len(edge_titles(svg)) == 6 * 6 + 6 * 10
    assert "x[783]" in svg and "a[1][29]" in svg


def test_network_refuses_bad_input():
    net = default_network()
    fwd = net.forward([0.05, 0.10])
    with pytest.raises(TypeError, match="network: net must be"):
        network([[1.0]])
    with pytest.raises(ShapeError, match=r"network: fwd.a must hold"):
        network(net, fwd.a[:2])
    with pytest.raises(ShapeError, match=r"network: deltas\[1\] must be"):
        network(net, fwd, [[0.0, 0.0], [0.0]])
    with pytest.raises(ShapeError, match="gradients.dW must be shaped"):
        network(net, gradients=Network([2, 3, 2]).backward(
            Network([2, 3, 2]).forward([0, 0]), [0, 0]))
    with pytest.raises(BackpropError, match="numbering must be one of"):
        network(net, numbering="mazur")
    with pytest.raises(BackpropError):
        network(net, [[0.05, math.nan], [0, 0], [0, 0]])


def test_plot_re_exports_the_diagrams():
    assert plot.graph is graph and plot.network is network
    assert {"graph", "network"} <= set(plot.__all__)
