import pytest

from interviews.scoring import Engine, KeyPointSpec, QuestionSpec

DROPOUT = QuestionSpec(
    key="dropout",
    prompt="What is dropout and why does it reduce overfitting in neural networks?",
    references=(
        "Dropout randomly sets a fraction of the activations to zero during training, so each "
        "step trains a different thinned sub-network. Units cannot co-adapt or rely on specific "
        "other units, which acts like training an ensemble of many networks and regularises the "
        "model. At test time all units are kept and activations are scaled by the keep "
        "probability (or scaled up during training, inverted dropout), so the expected output "
        "matches.",
    ),
    key_points=(
        KeyPointSpec(
            "Randomly zeroes activations during training",
            ("randomly drop", "zero out", "drop units", "set to zero"),
        ),
        KeyPointSpec("Prevents co-adaptation of units", ("co-adaptation", "co-adapt", "rely on")),
        KeyPointSpec("Acts like an ensemble of sub-networks", ("ensemble", "sub-network", "thinned network")),
        KeyPointSpec("Rescales activations at test time", ("scale", "inverted dropout", "keep probability")),
    ),
)

BATCHNORM = QuestionSpec(
    key="batchnorm",
    prompt="Explain batch normalization and its benefits when training deep networks.",
    references=(
        "Batch normalization standardises each feature over the mini-batch to zero mean and unit "
        "variance, then applies a learned scale gamma and shift beta. It stabilises the "
        "distribution of layer inputs, allows higher learning rates, makes training less "
        "sensitive to initialisation, speeds up convergence and adds a mild regularising noise. "
        "At inference it uses running averages of the mean and variance collected in training.",
    ),
    key_points=(
        KeyPointSpec("Normalises over the mini-batch", ("mini-batch", "zero mean", "unit variance", "BN")),
        KeyPointSpec("Learned scale and shift", ("gamma", "beta", "scale and shift")),
        KeyPointSpec(
            "Allows higher learning rates",
            ("higher learning rate", "faster convergence", "speeds up"),
        ),
        KeyPointSpec("Running statistics at inference", ("running average", "moving average", "inference")),
    ),
)

ATTENTION = QuestionSpec(
    key="attention",
    prompt="How does scaled dot-product attention work in a transformer?",
    references=(
        "Each token is projected into a query, a key and a value. The attention weights are the "
        "softmax of the dot products of the query with all keys, divided by the square root of the "
        "key dimension so the logits do not grow with dimension and saturate the softmax. The "
        "output is the weighted sum of the values. Multi-head attention runs several such heads "
        "in parallel on different projections and concatenates them.",
    ),
    key_points=(
        KeyPointSpec("Queries, keys and values", ("query", "key", "value", "QKV")),
        KeyPointSpec("Softmax of scaled dot products", ("softmax", "dot product")),
        KeyPointSpec("Scaling by the square root of the dimension", ("square root", "sqrt", "scaled")),
        KeyPointSpec("Weighted sum of values", ("weighted sum", "weighted average")),
    ),
)

BANK = (DROPOUT, BATCHNORM, ATTENTION)


@pytest.fixture(scope="session")
def engine():
    return Engine.fit(BANK)
