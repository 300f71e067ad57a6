"""Patch Set Posterior Composites: exact, fast training-free diffusion denoisers and the paper 'Towards a Mechanistic Explanation of Diffusion Model Generalization' reproduced

Modules:

- `pspc.attribution`: Patch posterior weights (Eq. 9) say, for every crop of a generated image, which training images its posterior mean was drawn from. Averaged over the crops that cover a pixel, they attribute every pixel — and the whole image — to training images: the paper's closing suggestion (§8), in one call and one picture.
- `pspc.distributed`: Every exact denoiser of pspc on a training set split over the ranks of a `torch.distributed` process group: each rank holds and streams its own shard, the streaming statistics are merged exactly, and every rank returns the full-data result."""

__version__ = "0.1.0"
