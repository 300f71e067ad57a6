"""Train the Fashion-MNIST classifier whose features pspc ships for Fréchet distances (nbs/08b_features.ipynb).

Usage (the run that made pspc/assets/fmnist-classifier.safetensors; about 7 minutes on one CPU thread):
    python tools/train_classifier.py --steps 4500 --threads 1 --out pspc/assets/fmnist-classifier.safetensors

Trains `pspc.features.train_classifier` on the 60 000 training images (x-flips, 2-px shifts), measures the accuracy on
the 10 000 test images, and writes the weights with their provenance in the safetensors header (`pspc.info`) and the
same record as JSON beside them (`<out>.json` with the suffix replaced, e.g. fmnist-classifier.json).
"""
import argparse, json, platform, sys, time
from pathlib import Path
import torch
from pspc.data import load_images, dataset_hash, class_names
from pspc.features import train_classifier, accuracy, save_classifier

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--steps', type=int, default=4500)
    ap.add_argument('--batch-size', type=int, default=128)
    ap.add_argument('--lr', type=float, default=3e-3)
    ap.add_argument('--shift', type=int, default=2)
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--out', default='pspc/assets/fmnist-classifier.safetensors')
    a = ap.parse_args(argv)
    torch.set_num_threads(a.threads)
    log = lambda s: print(s, flush=True)
    X, y = load_images('fashion-mnist', labels=True)
    Xt, yt = load_images('fashion-mnist', split='test', labels=True)
    log(f"train {tuple(X.shape)} hash {dataset_hash(X)}; test {tuple(Xt.shape)} hash {dataset_hash(Xt)}; torch {torch.__version__}, {a.threads} thread(s)")
    t0 = time.time()
    net = train_classifier(X, y, steps=a.steps, batch_size=a.batch_size, lr=a.lr, shift=a.shift, seed=a.seed, log=log)
    secs = time.time() - t0
    acc_test, acc_train = accuracy(net, Xt, yt), accuracy(net, X, y)
    log(f"test accuracy {acc_test:.4f} ({len(Xt)} images), train accuracy {acc_train:.4f}; {secs:.0f} s training")
    net.info = dict(command='python tools/train_classifier.py ' + ' '.join(sys.argv[1:] if argv is None else argv),
                    recipe='pspc.features.train_classifier', architecture=net.config,
                    parameters=sum(p.numel() for p in net.parameters()),
                    steps=a.steps, batch_size=a.batch_size, lr=a.lr, weight_decay=1e-4, warmup=200, shift=a.shift,
                    augmentation=f'x-flip (p=1/2), shifts up to {a.shift} px (fill -1)', seed=a.seed, threads=a.threads,
                    train_seconds=round(secs, 1), dataset='fashion-mnist train (60000)', dataset_hash=dataset_hash(X),
                    test_dataset_hash=dataset_hash(Xt), test_accuracy=round(acc_test, 4), train_accuracy=round(acc_train, 4),
                    classes=class_names('fashion-mnist'), input='(B, 1, 28, 28) float in [-1, 1]', features='feature layer (ReLU), 128-d',
                    torch=torch.__version__, python=platform.python_version())
    out = save_classifier(net, a.out)
    Path(out).with_suffix('.json').write_text(json.dumps(net.info, indent=1) + '\n')
    log(f"wrote {out} ({Path(out).stat().st_size / 1e3:.0f} kB) and {Path(out).with_suffix('.json')}")

if __name__ == '__main__': main()
