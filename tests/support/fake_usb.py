"""A USB bus with pretend devices, as a pyusb backend: the only thing mocked is the USB
hardware (what libusb would report and carry); pyusb and python-escpos run as they are."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import usb.backend


@dataclass
class FakeDevice:
    vendor_id: int
    product_id: int
    interface_class: int = 7
    manufacturer: str = "Test"
    product: str = "Printer"
    bus: int = 1
    address: int = 4
    written: bytearray = field(default_factory=bytearray)


class _Descriptor:
    def __init__(self, **values: Any) -> None:
        self.__dict__.update(values)


class FakeUsbBackend(usb.backend.IBackend):
    def __init__(self, devices: list[FakeDevice]) -> None:
        self.devices = devices

    def enumerate_devices(self):
        yield from self.devices

    def get_device_descriptor(self, dev: FakeDevice) -> _Descriptor:
        return _Descriptor(
            bLength=18,
            bDescriptorType=1,
            bcdUSB=0x0200,
            bDeviceClass=0,
            bDeviceSubClass=0,
            bDeviceProtocol=0,
            bMaxPacketSize0=64,
            idVendor=dev.vendor_id,
            idProduct=dev.product_id,
            bcdDevice=0x0100,
            iManufacturer=1,
            iProduct=2,
            iSerialNumber=0,
            bNumConfigurations=1,
            address=dev.address,
            bus=dev.bus,
            port_number=1,
            port_numbers=(1,),
            speed=2,
        )

    def get_configuration_descriptor(self, dev: FakeDevice, config: int) -> _Descriptor:
        return _Descriptor(
            bLength=9,
            bDescriptorType=2,
            wTotalLength=32,
            bNumInterfaces=1,
            bConfigurationValue=1,
            iConfiguration=0,
            bmAttributes=0xC0,
            bMaxPower=50,
            extra_descriptors=[],
        )

    def get_interface_descriptor(
        self, dev: FakeDevice, intf: int, alt: int, config: int
    ) -> _Descriptor:
        if intf != 0 or alt != 0:
            raise IndexError("one interface, one alternate setting")  # how pyusb stops
        return _Descriptor(
            bLength=9,
            bDescriptorType=4,
            bInterfaceNumber=0,
            bAlternateSetting=0,
            bNumEndpoints=2,
            bInterfaceClass=dev.interface_class,
            bInterfaceSubClass=1,
            bInterfaceProtocol=2,
            iInterface=0,
            extra_descriptors=[],
        )

    def get_endpoint_descriptor(
        self, dev: FakeDevice, ep: int, intf: int, alt: int, config: int
    ) -> _Descriptor:
        address = (0x01, 0x82)[ep]
        return _Descriptor(
            bLength=7,
            bDescriptorType=5,
            bEndpointAddress=address,
            bmAttributes=2,
            wMaxPacketSize=64,
            bInterval=0,
            bRefresh=0,
            bSynchAddress=0,
            extra_descriptors=[],
        )

    def open_device(self, dev: FakeDevice) -> FakeDevice:
        return dev

    def close_device(self, dev_handle: FakeDevice) -> None:
        pass

    def set_configuration(self, dev_handle: FakeDevice, config_value: int) -> None:
        pass

    def get_configuration(self, dev_handle: FakeDevice) -> int:
        return 1

    def claim_interface(self, dev_handle: FakeDevice, intf: int) -> None:
        pass

    def release_interface(self, dev_handle: FakeDevice, intf: int) -> None:
        pass

    def reset_device(self, dev_handle: FakeDevice) -> None:
        pass

    def bulk_write(
        self, dev_handle: FakeDevice, ep: int, intf: int, data: Any, timeout: int
    ) -> int:
        dev_handle.written.extend(bytes(data))
        return len(data)

    def bulk_read(self, dev_handle: FakeDevice, ep: int, intf: int, buff: Any, timeout: int) -> int:
        return 0

    def ctrl_transfer(
        self,
        dev_handle: FakeDevice,
        bmRequestType: int,
        bRequest: int,
        wValue: int,
        wIndex: int,
        data: Any,
        timeout: int,
    ) -> Any:
        # GET_DESCRIPTOR of a string: index 0 lists the languages (US English); 1 and 2
        # are the manufacturer and the product, in UTF-16LE.
        index = wValue & 0xFF
        if index == 0:
            payload = bytes([4, 3, 0x09, 0x04])
        else:
            text = (dev_handle.manufacturer, dev_handle.product)[index - 1].encode("utf-16-le")
            payload = bytes([2 + len(text), 3]) + text
        length = min(len(payload), len(data))
        data[:length] = type(data)(data.typecode, payload[:length])
        return length
