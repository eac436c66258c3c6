"""The region and VM-size catalog of the simulated cloud.

A simplified but realistic picture of Azure: which regions host Azure Machine Learning, which VM sizes
Azure ML compute offers (cores, memory, GPUs, quota family), which families each region has, and the
default per-family core quota of a subscription. GPU families exist only in some regions, as in Azure,
so asking for a GPU size in the wrong region fails the way it does there.
"""

from __future__ import annotations

from dataclasses import dataclass

# name -> display name
REGIONS: dict[str, str] = {
    "eastus": "East US", "eastus2": "East US 2", "westus": "West US", "westus2": "West US 2",
    "westus3": "West US 3", "centralus": "Central US", "northcentralus": "North Central US",
    "southcentralus": "South Central US", "westcentralus": "West Central US",
    "canadacentral": "Canada Central", "canadaeast": "Canada East", "brazilsouth": "Brazil South",
    "northeurope": "North Europe", "westeurope": "West Europe", "uksouth": "UK South", "ukwest": "UK West",
    "francecentral": "France Central", "germanywestcentral": "Germany West Central",
    "switzerlandnorth": "Switzerland North", "norwayeast": "Norway East", "swedencentral": "Sweden Central",
    "uaenorth": "UAE North", "southafricanorth": "South Africa North", "centralindia": "Central India",
    "southindia": "South India", "japaneast": "Japan East", "japanwest": "Japan West",
    "koreacentral": "Korea Central", "eastasia": "East Asia", "southeastasia": "Southeast Asia",
    "australiaeast": "Australia East", "australiasoutheast": "Australia Southeast",
}


@dataclass(frozen=True)
class VmSize:
    """One VM size as Azure ML compute lists it."""

    name: str
    family: str
    cores: int
    memory_gb: float
    gpus: int = 0
    gpu_model: str = ""
    max_resource_volume_mb: int = 0
    low_priority_capable: bool = True

    def as_supported_vmsize(self) -> dict:
        """The dict shape `AmlCompute.supported_vmsizes` returns for this size."""
        return {"name": self.name, "vCPUs": self.cores, "gpus": self.gpus, "memoryGB": self.memory_gb,
                "maxResourceVolumeMB": self.max_resource_volume_mb}


def _sizes(family: str, rows: list[tuple], gpu_model: str = "") -> list[VmSize]:
    return [VmSize(name, family, cores, mem, gpus, gpu_model if gpus else "", disk)
            for name, cores, mem, gpus, disk in rows]


_CATALOG: list[VmSize] = [
    *_sizes("standardDv2Family", [
        ("STANDARD_D1_V2", 1, 3.5, 0, 51200), ("STANDARD_D2_V2", 2, 7.0, 0, 102400),
        ("STANDARD_D3_V2", 4, 14.0, 0, 204800), ("STANDARD_D4_V2", 8, 28.0, 0, 409600),
        ("STANDARD_D11_V2", 2, 14.0, 0, 102400), ("STANDARD_D12_V2", 4, 28.0, 0, 204800),
        ("STANDARD_D13_V2", 8, 56.0, 0, 409600), ("STANDARD_D14_V2", 16, 112.0, 0, 819200)]),
    *_sizes("standardDSv2Family", [
        ("STANDARD_DS1_V2", 1, 3.5, 0, 7168), ("STANDARD_DS2_V2", 2, 7.0, 0, 14336),
        ("STANDARD_DS3_V2", 4, 14.0, 0, 28672), ("STANDARD_DS4_V2", 8, 28.0, 0, 57344),
        ("STANDARD_DS5_V2", 16, 56.0, 0, 114688), ("STANDARD_DS11_V2", 2, 14.0, 0, 28672),
        ("STANDARD_DS12_V2", 4, 28.0, 0, 57344), ("STANDARD_DS13_V2", 8, 56.0, 0, 114688),
        ("STANDARD_DS14_V2", 16, 112.0, 0, 229376)]),
    *_sizes("standardDv3Family", [
        ("STANDARD_D2_V3", 2, 8.0, 0, 51200), ("STANDARD_D4_V3", 4, 16.0, 0, 102400),
        ("STANDARD_D8_V3", 8, 32.0, 0, 204800), ("STANDARD_D16_V3", 16, 64.0, 0, 409600)]),
    *_sizes("standardDSv3Family", [
        ("STANDARD_D2S_V3", 2, 8.0, 0, 16384), ("STANDARD_D4S_V3", 4, 16.0, 0, 32768),
        ("STANDARD_D8S_V3", 8, 32.0, 0, 65536), ("STANDARD_D16S_V3", 16, 64.0, 0, 131072)]),
    *_sizes("standardESv3Family", [
        ("STANDARD_E4S_V3", 4, 32.0, 0, 65536), ("STANDARD_E8S_V3", 8, 64.0, 0, 131072)]),
    *_sizes("standardFSv2Family", [
        ("STANDARD_F4S_V2", 4, 8.0, 0, 32768), ("STANDARD_F8S_V2", 8, 16.0, 0, 65536)]),
    *_sizes("standardNCFamily", [
        ("STANDARD_NC6", 6, 56.0, 1, 389120), ("STANDARD_NC12", 12, 112.0, 2, 696320),
        ("STANDARD_NC24", 24, 224.0, 4, 1474560)], "Tesla K80"),
    *_sizes("standardNCSv3Family", [
        ("STANDARD_NC6S_V3", 6, 112.0, 1, 344064), ("STANDARD_NC12S_V3", 12, 224.0, 2, 688128),
        ("STANDARD_NC24S_V3", 24, 448.0, 4, 1376256)], "Tesla V100"),
    *_sizes("standardNCASv3_T4Family", [
        ("STANDARD_NC4AS_T4_V3", 4, 28.0, 1, 180224), ("STANDARD_NC8AS_T4_V3", 8, 56.0, 1, 360448),
        ("STANDARD_NC16AS_T4_V3", 16, 110.0, 1, 360448), ("STANDARD_NC64AS_T4_V3", 64, 440.0, 4, 2883584)],
        "Tesla T4"),
    *_sizes("standardNVFamily", [("STANDARD_NV6", 6, 56.0, 1, 389120)], "Tesla M60"),
    *_sizes("standardNCADSA100v4Family", [("STANDARD_NC24ADS_A100_V4", 24, 220.0, 1, 65536)], "A100"),
]
VM_SIZES: dict[str, VmSize] = {size.name: size for size in _CATALOG}

CPU_FAMILIES = frozenset({"standardDv2Family", "standardDSv2Family", "standardDv3Family", "standardDSv3Family",
                          "standardESv3Family", "standardFSv2Family"})
# Where each GPU family is offered (simplified from Azure's products-by-region pages).
_GPU_REGIONS: dict[str, frozenset[str]] = {
    "standardNCFamily": frozenset({"eastus", "southcentralus", "westus2", "northeurope", "westeurope"}),
    "standardNCSv3Family": frozenset({"eastus", "eastus2", "westus2", "southcentralus", "northcentralus",
                                      "northeurope", "westeurope", "uksouth", "japaneast", "australiaeast",
                                      "southeastasia", "centralindia", "koreacentral", "canadacentral",
                                      "francecentral", "switzerlandnorth"}),
    "standardNCASv3_T4Family": frozenset({"eastus", "eastus2", "westus2", "southcentralus", "westeurope",
                                          "northeurope", "uksouth", "japaneast", "australiaeast",
                                          "southeastasia", "centralindia", "koreacentral", "brazilsouth"}),
    "standardNVFamily": frozenset({"eastus", "southcentralus", "westus2", "westeurope", "northeurope"}),
    "standardNCADSA100v4Family": frozenset({"eastus", "eastus2", "southcentralus", "westus2", "westeurope",
                                            "swedencentral"}),
}
# Default dedicated core quota per family and region of a new subscription.
DEFAULT_CPU_QUOTA = 100
DEFAULT_GPU_QUOTA = 24
DEFAULT_LOW_PRIORITY_QUOTA = 100


def normalize_region(location: str) -> str:
    """'East US' / 'eastus' / 'EastUS' -> 'eastus' (Azure accepts names and display names)."""
    return str(location).replace(" ", "").lower()


def is_region(location: str) -> bool:
    """True when Azure ML is offered in `location`."""
    return normalize_region(location) in REGIONS


def region_names() -> list[str]:
    """Every region's display name, as Azure lists them in a LocationNotAvailable error."""
    return list(REGIONS.values())


def find_vm_size(vm_size: str) -> VmSize | None:
    """The catalog entry of `vm_size` (case-insensitive), or None."""
    return VM_SIZES.get(str(vm_size).upper())


def family_in_region(family: str, location: str) -> bool:
    """True when the VM family is offered in the region."""
    region = normalize_region(location)
    if family in CPU_FAMILIES:
        return region in REGIONS
    return region in _GPU_REGIONS.get(family, frozenset())


def sizes_in_region(location: str) -> list[VmSize]:
    """The VM sizes Azure ML compute offers in a region, in catalog order."""
    return [size for size in _CATALOG if family_in_region(size.family, location)]


def default_quota(family: str) -> int:
    """The dedicated core quota a new subscription has for a family in each region."""
    return DEFAULT_CPU_QUOTA if family in CPU_FAMILIES else DEFAULT_GPU_QUOTA
